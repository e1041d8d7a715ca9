"""Portal pages of valuation, mounted at /valuation/."""

from django.urls import path  # noqa: F401

app_name = "valuation"
urlpatterns: list = []
