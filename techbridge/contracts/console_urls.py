"""Console pages of contracts, mounted at /console/contracts/."""

from django.urls import path  # noqa: F401

app_name = "contracts_console"
urlpatterns: list = []
