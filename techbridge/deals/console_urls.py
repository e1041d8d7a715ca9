"""Console pages of deals, mounted at /console/deals/."""

from django.urls import path  # noqa: F401

app_name = "deals_console"
urlpatterns: list = []
