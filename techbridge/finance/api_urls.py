"""REST API routes of technology finance, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    FinanceStatsView,
    FinancingRequestViewSet,
    FundApplicationViewSet,
    FundCallViewSet,
    FundViewSet,
    IntroductionViewSet,
    InvestorViewSet,
    LoanViewSet,
)

router = SimpleRouter()
router.register("finance/investors", InvestorViewSet, basename="finance-investor")
router.register("finance/requests", FinancingRequestViewSet, basename="finance-request")
router.register("finance/introductions", IntroductionViewSet, basename="finance-introduction")
router.register("finance/loans", LoanViewSet, basename="finance-loan")
router.register("finance/funds", FundViewSet, basename="finance-fund")
router.register("finance/calls", FundCallViewSet, basename="finance-call")
router.register("finance/fund-applications", FundApplicationViewSet, basename="finance-fund-application")

urlpatterns = [
    path("finance/stats/", FinanceStatsView.as_view(), name="finance-stats"),
    *router.urls,
]
