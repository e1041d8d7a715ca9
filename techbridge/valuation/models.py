"""Models of valuation."""
