"""REST API routes of mining, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path

urlpatterns: list = []

# ---- imports, duplicates, analysis and catalogues (mining-pipeline)
from django.urls import include  # noqa: E402
from rest_framework.routers import SimpleRouter  # noqa: E402

from .analysis_views import SupplyDemandRecomputeView, SupplyDemandView  # noqa: E402
from .catalogue_views import CatalogueViewSet  # noqa: E402

_router = SimpleRouter()
_router.register("mining/catalogues", CatalogueViewSet, basename="mining-catalogue")

urlpatterns += [
    path("", include("techbridge.imports.api_urls")),
    path("mining/supply-demand/", SupplyDemandView.as_view(), name="mining-supply-demand"),
    path(
        "mining/supply-demand/recompute/",
        SupplyDemandRecomputeView.as_view(),
        name="mining-supply-demand-recompute",
    ),
    *_router.urls,
]

# ---- classification and achievement packages (mining-ml)
from .api import ClassificationView, CorrectionView, PackageViewSet  # noqa: E402

_ml_router = SimpleRouter()
_ml_router.register("mining/packages", PackageViewSet, basename="mining-package")

urlpatterns += [
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
    *_ml_router.urls,
]
