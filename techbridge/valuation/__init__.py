"""Valuation (评估): cost, market and income approaches, indicator scorecard, expert review, reports."""
