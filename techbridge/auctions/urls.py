"""Portal pages of auctions, mounted at /auctions/."""

from django.urls import path  # noqa: F401

app_name = "auctions"
urlpatterns: list = []
