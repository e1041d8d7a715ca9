from django.urls import path  # noqa: F401

app_name = "organizations_console"
urlpatterns: list = []
