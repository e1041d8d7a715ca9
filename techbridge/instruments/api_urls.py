"""REST API routes of instruments, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.booking import BookingViewSet, InvoiceViewSet
from .api.catalogue import InstrumentViewSet, MatchView, UtilisationView
from .api.platforms import OfferViewSet, OrderViewSet, PlatformViewSet
from .api.vouchers import ProgrammeViewSet, RedemptionViewSet, VoucherViewSet

router = SimpleRouter()
router.register("instruments/bookings", BookingViewSet, basename="instrument-booking")
router.register("instruments/statements", InvoiceViewSet, basename="instrument-statement")
router.register("instruments/voucher-programmes", ProgrammeViewSet, basename="voucher-programme")
router.register("instruments/vouchers", VoucherViewSet, basename="voucher")
router.register("instruments/voucher-redemptions", RedemptionViewSet, basename="voucher-redemption")
router.register("instruments/platforms", PlatformViewSet, basename="service-platform")
router.register("instruments/offers", OfferViewSet, basename="service-offer")
router.register("instruments/orders", OrderViewSet, basename="service-order")
router.register("instruments", InstrumentViewSet, basename="instrument")

urlpatterns = [
    path("instruments/match/", MatchView.as_view(), name="instrument-match"),
    path("instruments/utilisation/", UtilisationView.as_view(), name="instrument-utilisation"),
    *router.urls,
]
