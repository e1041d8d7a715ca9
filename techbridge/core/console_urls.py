"""Console (reviewers, operators, department officials): the landing page; each app adds its own pages."""

from django.urls import path

from . import console_views

app_name = "console"
urlpatterns = [path("", console_views.home, name="home")]
