"""REST API routes of auctions, included into /api/v1/ (URL names in the ``api`` namespace)."""

from rest_framework import routers

from .api import LotViewSet, RegistrationViewSet, SessionViewSet

router = routers.SimpleRouter()
router.register("auctions/sessions", SessionViewSet, basename="auction-session")
router.register("auctions/lots", LotViewSet, basename="auction-lot")
router.register("auctions/registrations", RegistrationViewSet, basename="auction-registration")

urlpatterns = [*router.urls]
