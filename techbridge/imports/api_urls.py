"""REST API routes of imports (included into /api/v1/; names in the ``api`` namespace)."""

from rest_framework.routers import SimpleRouter

from .api import DuplicatePairViewSet, ImportBatchViewSet

router = SimpleRouter()
router.register("imports/batches", ImportBatchViewSet, basename="import-batch")
router.register("imports/duplicates", DuplicatePairViewSet, basename="import-duplicate")

urlpatterns = [*router.urls]
