"""Portal pages of matching, mounted at /match/."""

from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.match_view, name="match"),
    path("achievements/<int:pk>/", views.achievement_matches_view, name="achievement"),
    path("demands/<int:pk>/", views.demand_matches_view, name="demand"),
]
