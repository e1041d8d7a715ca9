"""REST API routes of deal announcements, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AnnouncementViewSet, CertificateRevokeView, CertificateVerifyView, ObjectionViewSet

router = SimpleRouter()
router.register("announcements", AnnouncementViewSet, basename="announcement")
router.register("announcement-objections", ObjectionViewSet, basename="announcement-objection")

urlpatterns = [
    path("certificates/verify/<str:code>/", CertificateVerifyView.as_view(), name="certificate-verify"),
    path("certificates/<int:pk>/revoke/", CertificateRevokeView.as_view(), name="certificate-revoke"),
    *router.urls,
]
