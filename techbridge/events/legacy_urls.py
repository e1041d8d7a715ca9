"""The old roadshow addresses of auctions, mounted at /auctions/roadshows/: they redirect to events."""

from django.urls import path

from .views import legacy

app_name = "roadshows_legacy"
urlpatterns = [
    path("", legacy.roadshow_list, name="list"),
    path("<int:pk>/", legacy.roadshow_detail, name="detail"),
    path("<int:pk>/register/", legacy.roadshow_register, name="register"),
]
