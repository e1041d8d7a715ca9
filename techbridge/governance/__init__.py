"""Governance of the city's action plan: targets as data, tasks by department, evaluation, policies."""
