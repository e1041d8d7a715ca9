"""Portal pages of follows and subscriptions, mounted at /subscriptions/."""

from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.my_follows, name="follows"),
    path("follow/<slug:kind>/<int:pk>/", views.toggle, name="toggle"),
    path("searches/save/", views.save_search, name="save_search"),
    path("searches/<int:pk>/", views.edit_search, name="edit_search"),
    path("searches/<int:pk>/delete/", views.delete_search, name="delete_search"),
    path("searches/<int:pk>/preview/", views.preview_search, name="preview_search"),
    path("preferences/", views.preferences, name="preferences"),
]
