"""Portal pages of IP services, mounted at /ipservices/."""

from django.urls import path

from .views import register, requests, warning

app_name = "ipservices"
urlpatterns = [
    path("", register.home, name="home"),
    path("patents/", register.patent_list, name="patents"),
    path("patents/<int:pk>/", register.patent_detail, name="patent"),
    path("navigation/", register.industry_list, name="industries"),
    path("navigation/<int:pk>/", register.industry_detail, name="industry"),
    path("navigation/<int:pk>/report/", register.report_request, name="report_request"),
    path("navigation/reports/<int:pk>/<str:fmt>/", register.report_file, name="report_file"),
    path("enterprises/", register.enterprise_list, name="enterprises"),
    path("warning/", warning.overview, name="warning"),
    path("warning/products/new/", warning.product_new, name="product_new"),
    path("warning/products/<int:pk>/", warning.product_edit, name="product_edit"),
    path("warning/products/<int:pk>/watch/", warning.product_watch, name="product_watch"),
    path("warning/alerts/", warning.alert_list, name="alerts"),
    path("warning/alerts/<int:pk>/", warning.alert_detail, name="alert"),
    path("warning/alerts/<int:pk>/decide/", warning.alert_decide, name="alert_decide"),
    path("warning/alerts/<int:pk>/analysis/", warning.alert_analysis, name="alert_analysis"),
    path("warning/opportunities/", warning.opportunities, name="opportunities"),
    path("requests/", requests.overview, name="requests"),
    path("analysis/<int:pk>/", requests.analysis_detail, name="analysis"),
    path("analysis/<int:pk>/<str:action>/", requests.analysis_act, name="analysis_act"),
    path("assistance/new/", requests.assistance_new, name="assistance_new"),
    path("assistance/<int:pk>/", requests.assistance_detail, name="assistance"),
    path("assistance/<int:pk>/edit/", requests.assistance_edit, name="assistance_edit"),
    path("assistance/<int:pk>/evidence/", requests.evidence_upload, name="evidence_upload"),
    path("assistance/<int:pk>/evidence/<int:file_pk>/", requests.evidence_file, name="evidence_file"),
    path("assistance/<int:pk>/<str:action>/", requests.assistance_act, name="assistance_act"),
]
