"""Console pages of technology demands (reviewers and operators), mounted at /console/demands/."""

from django.urls import path

from . import views

app_name = "demands_console"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("<int:pk>/", views.review_view, name="review"),
]
