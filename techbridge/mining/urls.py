"""Portal pages of mining, mounted at /mining/."""

from django.urls import path  # noqa: F401

app_name = "mining"
urlpatterns: list = []
