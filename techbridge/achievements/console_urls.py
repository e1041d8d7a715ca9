from django.urls import path  # noqa: F401

app_name = "achievements_console"
urlpatterns: list = []
