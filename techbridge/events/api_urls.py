"""REST API routes of events, included into /api/v1/ (URL names in the ``api`` namespace); the old
roadshow endpoints of auctions redirect to the events that replaced them."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import EventStatsView, EventViewSet, TicketViewSet
from .views import legacy

router = SimpleRouter()
router.register("events/tickets", TicketViewSet, basename="event-ticket")
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("events/stats/", EventStatsView.as_view(), name="event-stats"),
    *router.urls,
    path("auctions/roadshows/", legacy.api_roadshow_list, name="legacy-roadshow-list"),
    path("auctions/roadshows/<int:pk>/", legacy.api_roadshow_detail, name="legacy-roadshow-detail"),
]
