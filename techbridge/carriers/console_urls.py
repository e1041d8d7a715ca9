"""Console pages of carriers and enterprises, mounted at /console/carriers/."""

from django.urls import path

from .views import console

app_name = "carriers_console"
urlpatterns = [
    path("", console.home, name="home"),
    path("carriers/<int:pk>/", console.carrier_review, name="carrier"),
    path("reports/", console.report_list, name="reports"),
    path("reports/<int:pk>/", console.report_review, name="report"),
    path("formulas/", console.formula_list, name="formulas"),
    path("formulas/new/", console.formula_create, name="formula_create"),
    path("formulas/<int:pk>/", console.formula_detail, name="formula"),
    path("designations/", console.designation_list, name="designations"),
    path("designations/new/", console.designation_create, name="designation_create"),
    path("designations/<int:pk>/revoke/", console.designation_revoke, name="designation_revoke"),
    path("rd-input/", console.rd_input_list, name="rd_input"),
    path("alliances/new/", console.alliance_create, name="alliance_create"),
    path("alliances/<int:pk>/status/", console.alliance_status, name="alliance_status"),
    path("cases/", console.case_list, name="cases"),
    path("cases/new/", console.case_create, name="case_create"),
    path("cases/<int:pk>/", console.case_edit, name="case"),
    path("stats/", console.stats, name="stats"),
    path("stats.xlsx", console.stats_xlsx, name="stats_xlsx"),
]
