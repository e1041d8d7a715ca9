"""Console pages of governance, mounted at /console/governance/."""

from django.urls import path

from .views import console as v

app_name = "governance_console"
urlpatterns = [
    path("", v.overview, name="overview"),
    path("plans/<int:pk>/settings/", v.plan_settings, name="plan_settings"),
    path("targets/<int:pk>/", v.target_detail, name="target"),
    path("targets/<int:pk>/figures/", v.target_figure, name="target_figure"),
    path("tasks/", v.task_list, name="tasks"),
    path("tasks/<int:pk>/", v.task_detail, name="task"),
    path("tasks/<int:pk>/milestones/", v.add_milestone, name="add_milestone"),
    path("tasks/<int:pk>/reports/new/", v.report_new, name="report_new"),
    path("reports/", v.review_queue, name="review_queue"),
    path("reports/<int:pk>/", v.report_detail, name="report"),
    path("reports/<int:pk>/edit/", v.report_edit, name="report_edit"),
    path("reports/<int:pk>/attachments/", v.report_attach, name="report_attach"),
    path("reports/<int:pk>/submit/", v.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", v.report_review, name="report_review"),
    path("attachments/<int:pk>/", v.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", v.attachment_delete, name="attachment_delete"),
    path("department/", v.department, name="department"),
    path("areas/", v.area_view, name="areas"),
    path("evaluation/", v.evaluation_view, name="evaluation"),
    path("evaluation/formula/", v.formula_view, name="formula"),
    path("evaluation/organizations/<int:pk>/", v.evaluation_org, name="evaluation_org"),
    path("evaluation/organizations/<int:pk>/figures/", v.evaluation_figure, name="evaluation_figure"),
    path("evaluation/figures/<int:pk>/review/", v.evaluation_figure_review, name="evaluation_figure_review"),
    path("monthly/", v.monthly_list, name="monthly"),
    path("monthly/<int:pk>/<str:fmt>/", v.monthly_download, name="monthly_download"),
    path("meetings/", v.meeting_list, name="meetings"),
    path("meetings/new/", v.meeting_form, name="meeting_new"),
    path("meetings/<int:pk>/", v.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", v.meeting_form, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", v.decision_add, name="decision_add"),
    path("decisions/<int:pk>/close/", v.decision_close, name="decision_close"),
    path("decisions/<int:pk>/reopen/", v.decision_reopen, name="decision_reopen"),
    path("policies/", v.policy_list, name="policies"),
    path("policies/new/", v.policy_form, name="policy_new"),
    path("policies/<int:pk>/edit/", v.policy_form, name="policy_edit"),
    path("policies/<int:pk>/publish/", v.policy_publish, name="policy_publish"),
]
