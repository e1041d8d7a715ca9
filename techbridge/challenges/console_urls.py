"""Console pages of challenges, mounted at /console/challenges/."""

from django.urls import path

from . import views

app_name = "challenges_console"
urlpatterns = [
    path("", views.console_home, name="home"),
    path("<int:pk>/approve/", views.console_approve, name="approve"),
    path("<int:pk>/reject/", views.console_reject, name="reject"),
    path("<int:pk>/panel/", views.console_panel, name="panel"),
]
