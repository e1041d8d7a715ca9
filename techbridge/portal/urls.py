"""Portal pages that belong to no single app, mounted at /."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("screen/", views.screen, name="screen"),
    path("screen/data/", views.screen_data, name="screen-data"),
]
