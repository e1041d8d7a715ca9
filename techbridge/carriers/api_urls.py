"""REST API routes of carriers and enterprises, included into /api/v1/ (names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    AllianceViewSet,
    CarrierStatsView,
    CarrierViewSet,
    CaseViewSet,
    DesignationViewSet,
    FormulaViewSet,
    ProjectViewSet,
    RdInputViewSet,
    ReportViewSet,
)

router = SimpleRouter()
# Longer prefixes first: "carriers/<pk>/" must not swallow "carriers/reports/".
router.register("carriers/reports", ReportViewSet, basename="carrier-report")
router.register("carriers/formulas", FormulaViewSet, basename="carrier-formula")
router.register("carriers/cases", CaseViewSet, basename="carrier-case")
router.register("carriers", CarrierViewSet, basename="carrier")
router.register("enterprises/designations", DesignationViewSet, basename="designation")
router.register("enterprises/rd-inputs", RdInputViewSet, basename="rd-input")
router.register("enterprises/projects", ProjectViewSet, basename="project")
router.register("enterprises/alliances", AllianceViewSet, basename="alliance")

urlpatterns = [
    path("carriers/stats/", CarrierStatsView.as_view(), name="carrier-stats"),
    *router.urls,
]
