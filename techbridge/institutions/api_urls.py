"""REST API routes of institutions, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("institutions", api.InstitutionViewSet, basename="institution")
router.register("institution-designations", api.DesignationViewSet, basename="institution-designation")
router.register("institution-reports", api.ReportViewSet, basename="institution-report")
router.register("institution-appeals", api.AppealViewSet, basename="institution-appeal")
router.register("institution-blacklistings", api.BlacklistingViewSet, basename="institution-blacklisting")

urlpatterns = [
    path("institution-ratings/", api.RateView.as_view(), name="institution-rate"),
    path("institution-scores/compute/", api.ComputeView.as_view(), name="institution-scores-compute"),
    path("institution-weights/", api.WeightsView.as_view(), name="institution-weights"),
    path("institution-standards/", api.StandardsView.as_view(), name="institution-standards"),
    *router.urls,
]
