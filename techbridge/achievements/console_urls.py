"""Console pages of achievements (reviewers and operators), mounted at /console/achievements/."""

from django.urls import path

from . import views

app_name = "achievements_console"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("<int:pk>/", views.review_view, name="review"),
]
