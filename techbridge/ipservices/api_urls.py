"""REST API routes of ipservices, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.assistance import AssistanceStatsView, AssistanceViewSet
from .api.register import (
    DesignationViewSet,
    IndicatorsViewSet,
    IndustryViewSet,
    PatentViewSet,
    ProviderViewSet,
    ReportViewSet,
)
from .api.warning import AlertViewSet, AnalysisViewSet, OpportunityList, ProductViewSet

router = SimpleRouter()
router.register("ipservices/patents", PatentViewSet, basename="ip-patent")
router.register("ipservices/industries", IndustryViewSet, basename="ip-industry")
router.register("ipservices/navigation-reports", ReportViewSet, basename="ip-report")
router.register("ipservices/providers", ProviderViewSet, basename="ip-provider")
router.register("ipservices/designations", DesignationViewSet, basename="ip-designation")
router.register("ipservices/indicators", IndicatorsViewSet, basename="ip-indicators")
router.register("ipservices/products", ProductViewSet, basename="ip-product")
router.register("ipservices/alerts", AlertViewSet, basename="ip-alert")
router.register("ipservices/analysis-requests", AnalysisViewSet, basename="ip-analysis")
router.register("ipservices/assistance-requests", AssistanceViewSet, basename="ip-assistance")

urlpatterns = [
    path("ipservices/opportunities/", OpportunityList.as_view(), name="ip-opportunities"),
    path("ipservices/assistance-statistics/", AssistanceStatsView.as_view(), name="ip-assistance-stats"),
    *router.urls,
]
