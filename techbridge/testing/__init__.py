"""Shared test fixtures: a fixed cast of users and factories."""
