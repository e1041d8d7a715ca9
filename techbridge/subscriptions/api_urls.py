"""REST API routes of follows and subscriptions, included into /api/v1/ (names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import FollowViewSet, NotificationPreferenceView, SavedSearchViewSet

router = SimpleRouter()
router.register("follows", FollowViewSet, basename="follow")
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")

urlpatterns = [
    *router.urls,
    path("notification-preferences/", NotificationPreferenceView.as_view(), name="notification-preferences"),
]
