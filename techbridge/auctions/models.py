"""Models of auctions."""
