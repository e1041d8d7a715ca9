"""Portal pages of carriers and enterprises, mounted at /carriers/."""

from django.urls import path

from .views import carriers, cases, enterprises

app_name = "carriers"
urlpatterns = [
    path("", carriers.carrier_list, name="list"),
    path("new/", carriers.carrier_create, name="create"),
    path("stats/", carriers.stats, name="stats"),
    path("<int:pk>/", carriers.carrier_detail, name="detail"),
    path("<int:pk>/edit/", carriers.carrier_edit, name="edit"),
    path("<int:pk>/submit/", carriers.carrier_submit, name="submit"),
    path("<int:pk>/firms/", carriers.carrier_firms, name="firms"),
    path("firms/<int:pk>/close/", carriers.firm_close, name="firm_close"),
    path("<int:pk>/reports/new/", carriers.report_create, name="report_create"),
    path("reports/<int:pk>/", carriers.report_detail, name="report"),
    path("reports/<int:pk>/submit/", carriers.report_submit, name="report_submit"),
    path("enterprises/", enterprises.designation_list, name="designations"),
    path("rd-input/", enterprises.rd_input, name="rd_input"),
    path("projects/", enterprises.project_list, name="projects"),
    path("projects/new/", enterprises.project_create, name="project_create"),
    path("projects/<int:pk>/", enterprises.project_detail, name="project"),
    path("projects/<int:pk>/edit/", enterprises.project_edit, name="project_edit"),
    path("projects/<int:pk>/move/", enterprises.project_move, name="project_move"),
    path("projects/<int:pk>/milestones/", enterprises.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", enterprises.milestone_done, name="milestone_done"),
    path("alliances/", enterprises.alliance_list, name="alliances"),
    path("alliances/<int:pk>/", enterprises.alliance_detail, name="alliance"),
    path("alliances/<int:pk>/edit/", enterprises.alliance_edit, name="alliance_edit"),
    path("alliances/<int:pk>/members/", enterprises.member_add, name="member_add"),
    path("members/<int:pk>/leave/", enterprises.member_leave, name="member_leave"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
]
