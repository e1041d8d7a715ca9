"""REST API routes of governance, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("governance/plans", api.PlanViewSet, basename="governance-plan")
router.register("governance/tasks", api.TaskViewSet, basename="governance-task")
router.register("governance/reports", api.ReportViewSet, basename="governance-report")
router.register(
    "governance/evaluation/figures", api.EvaluationFigureViewSet, basename="governance-evaluation-figure"
)
router.register("governance/meetings", api.MeetingViewSet, basename="governance-meeting")
router.register("governance/policies", api.PolicyViewSet, basename="governance-policy")

urlpatterns = [
    path("governance/overview/", api.OverviewView.as_view(), name="governance-overview"),
    path("governance/targets/<int:pk>/", api.TargetView.as_view(), name="governance-target"),
    path("governance/areas/", api.AreasView.as_view(), name="governance-areas"),
    path("governance/evaluation/", api.EvaluationView.as_view(), name="governance-evaluation"),
    path("governance/evaluation/formulas/", api.FormulaView.as_view(), name="governance-formulas"),
    path("governance/monthly-reports/", api.MonthlyView.as_view(), name="governance-monthly"),
    path(
        "governance/decisions/<int:pk>/close/",
        api.DecisionCloseView.as_view(),
        name="governance-decision-close",
    ),
    *router.urls,
]
