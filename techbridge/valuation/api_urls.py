"""REST API routes of valuation, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("valuation/requests", api.RequestViewSet, basename="valuation-request")
router.register("valuation/assignments", api.AssignmentViewSet, basename="valuation-assignment")
router.register("valuation/valuations", api.ValuationViewSet, basename="valuation-valuation")

urlpatterns = [
    path("valuation/screening/", api.ScreeningView.as_view(), name="valuation-screening"),
    path("valuation/weights/", api.WeightsView.as_view(), name="valuation-weights"),
    path("valuation/scorecards/<int:pk>/", api.ScorecardView.as_view(), name="valuation-scorecard"),
    *router.urls,
]
