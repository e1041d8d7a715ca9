"""REST API routes of notices and news, included into /api/v1/ (URL names in the ``api`` namespace)."""

from rest_framework.routers import SimpleRouter

from .api import ArticleViewSet

router = SimpleRouter()
router.register("news", ArticleViewSet, basename="article")

urlpatterns = router.urls
