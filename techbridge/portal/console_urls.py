"""The console landing page (reviewers, operators, department officials); each app mounts its own pages."""

from django.urls import path

from . import views

app_name = "console"
urlpatterns = [path("", views.console_home, name="home")]
