"""REST API routes of talent, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("talent/managers", api.ManagerViewSet, basename="talent-manager")
router.register("talent/routings", api.RoutingViewSet, basename="talent-routing")
router.register("talent/certificates", api.CertificateViewSet, basename="talent-certificate")
router.register("talent/sessions", api.SessionViewSet, basename="talent-session")
router.register("talent/experts", api.ExpertViewSet, basename="talent-expert")

urlpatterns = [
    path("talent/profile/", api.MyProfileView.as_view(), name="talent-profile"),
    path("talent/demands/<int:pk>/assessment/", api.AssessmentView.as_view(), name="talent-assessment"),
    path(
        "talent/enrolments/<int:pk>/cancel/",
        api.EnrolmentCancelView.as_view(),
        name="talent-enrolment-cancel",
    ),
    path("talent/training-record/", api.TrainingRecordView.as_view(), name="talent-training-record"),
    path("talent/secondments/", api.SecondmentView.as_view(), name="talent-secondments"),
    path("talent/register/", api.RegisterView.as_view(), name="talent-register"),
    path("talent/figures/", api.FiguresView.as_view(), name="talent-figures"),
    *router.urls,
]
