"""Console pages of challenges, mounted at /console/challenges/."""

from django.urls import path

from . import views

app_name = "challenges_console"
urlpatterns = [
    path("", views.console_home, name="home"),
    path("<int:pk>/approve/", views.action, {"name": "approve"}, name="approve"),
    path("<int:pk>/reject/", views.action, {"name": "reject"}, name="reject"),
    path("<int:pk>/panel/", views.console_panel, name="panel"),
]
