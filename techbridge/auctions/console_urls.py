"""Console pages of auctions, mounted at /console/auctions/."""

from django.urls import path  # noqa: F401

app_name = "auctions_console"
urlpatterns: list = []
