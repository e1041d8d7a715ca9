"""REST API routes of valuation, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
