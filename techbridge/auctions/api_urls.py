"""REST API routes of auctions, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework import routers

from .api import LotViewSet, RegistrationViewSet, SessionViewSet
from .api_attempts import BidAttemptList

router = routers.SimpleRouter()
router.register("auctions/sessions", SessionViewSet, basename="auction-session")
router.register("auctions/lots", LotViewSet, basename="auction-lot")
router.register("auctions/registrations", RegistrationViewSet, basename="auction-registration")

urlpatterns = [
    path("auctions/lots/<int:lot_pk>/attempts/", BidAttemptList.as_view(), name="auction-lot-attempt-list"),
    *router.urls,
]
