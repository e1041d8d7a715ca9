"""Portal pages of follows and subscriptions, mounted at /subscriptions/."""

from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.my_follows, name="follows"),
    path("follow/<slug:kind>/<int:pk>/", views.toggle, name="toggle"),
]
