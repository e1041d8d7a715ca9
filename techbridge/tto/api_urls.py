"""REST API routes of the technology-transfer office, included into /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet, DisclosureViewSet, DistributionViewSet, LicenceViewSet, ReportViewSet

router = SimpleRouter()
router.register("tto/disclosures", DisclosureViewSet, basename="tto-disclosure")
router.register("tto/applications", ApplicationViewSet, basename="tto-application")
router.register("tto/open-licences", LicenceViewSet, basename="tto-licence")
router.register("tto/distributions", DistributionViewSet, basename="tto-distribution")
router.register("tto/reports", ReportViewSet, basename="tto-report")

urlpatterns = router.urls
