"""REST API routes of auctions, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework import routers

from .api import LotViewSet, RegistrationViewSet, SessionViewSet
from .api_attempts import BidAttemptList
from .api_deposits import (
    RefundBatchViewSet,
    RegistrationPayment,
    RegistrationRefundAccount,
    StatementLineViewSet,
    StatementViewSet,
)

router = routers.SimpleRouter()
router.register("auctions/sessions", SessionViewSet, basename="auction-session")
router.register("auctions/lots", LotViewSet, basename="auction-lot")
router.register("auctions/registrations", RegistrationViewSet, basename="auction-registration")
router.register("auctions/statements", StatementViewSet, basename="auction-statement")
router.register("auctions/statement-lines", StatementLineViewSet, basename="auction-statement-line")
router.register("auctions/refund-batches", RefundBatchViewSet, basename="auction-refund-batch")

urlpatterns = [
    path("auctions/lots/<int:lot_pk>/attempts/", BidAttemptList.as_view(), name="auction-lot-attempt-list"),
    path(
        "auctions/registrations/<int:pk>/payment/",
        RegistrationPayment.as_view(),
        name="auction-registration-payment",
    ),
    path(
        "auctions/registrations/<int:pk>/refund-account/",
        RegistrationRefundAccount.as_view(),
        name="auction-registration-refund-account",
    ),
    *router.urls,
]
