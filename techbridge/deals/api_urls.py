"""REST API routes of deals, included into /api/v1/ (URL names in the ``api`` namespace)."""

from rest_framework.routers import SimpleRouter

from .api import RoomViewSet

router = SimpleRouter()
router.register("deals/rooms", RoomViewSet, basename="deal-room")

urlpatterns = [*router.urls]
