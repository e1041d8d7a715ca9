"""REST API routes of contracts, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ContractViewSet, StatisticsView

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="contract")

urlpatterns = [
    path("contracts/statistics/", StatisticsView.as_view(), name="contract-statistics"),
    *router.urls,
]
