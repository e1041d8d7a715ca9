"""Console pages of mining, mounted at /console/mining/."""

from django.urls import path  # noqa: F401

app_name = "mining_console"
urlpatterns: list = []
