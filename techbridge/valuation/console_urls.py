"""Console pages of valuation, mounted at /console/valuation/."""

from django.urls import path  # noqa: F401

app_name = "valuation_console"
urlpatterns: list = []
