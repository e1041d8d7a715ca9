"""Review of organisations in the console, mounted at /console/organizations/."""

from django.urls import path

from . import views

app_name = "organizations_console"
urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("<int:pk>/", views.review, name="review"),
]
