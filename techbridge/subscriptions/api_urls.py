"""REST API routes of follows, included into /api/v1/ (URL names in the ``api`` namespace)."""

from rest_framework.routers import SimpleRouter

from .api import FollowViewSet

router = SimpleRouter()
router.register("follows", FollowViewSet, basename="follow")

urlpatterns = router.urls
