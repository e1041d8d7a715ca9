"""REST API routes of mining, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .analysis_views import SupplyDemandRecomputeView, SupplyDemandView
from .api import ClassificationView, CorrectionView, PackageViewSet
from .catalogue_views import CatalogueViewSet

router = SimpleRouter()
router.register("mining/catalogues", CatalogueViewSet, basename="mining-catalogue")
router.register("mining/packages", PackageViewSet, basename="mining-package")

urlpatterns = [
    path("mining/supply-demand/", SupplyDemandView.as_view(), name="mining-supply-demand"),
    path(
        "mining/supply-demand/recompute/",
        SupplyDemandRecomputeView.as_view(),
        name="mining-supply-demand-recompute",
    ),
    path(
        "mining/classification/<str:kind>/<int:pk>/",
        ClassificationView.as_view(),
        name="mining-classification",
    ),
    path(
        "mining/classification/<str:kind>/<int:pk>/correct/",
        CorrectionView.as_view(),
        name="mining-classification-correct",
    ),
    *router.urls,
]
