"""Console pages of IP services, mounted at /console/ipservices/."""

from django.urls import path

from .views import console

app_name = "ipservices_console"
urlpatterns = [
    path("industries/", console.industries, name="industries"),
    path("industries/new/", console.industry_form, name="industry_new"),
    path("industries/<int:pk>/", console.industry_form, name="industry_edit"),
    path("patents/", console.patents, name="patents"),
    path("patents/new/", console.patent_form, name="patent_new"),
    path("patents/<int:pk>/", console.patent_form, name="patent_edit"),
    path("patents/<int:pk>/status/", console.patent_status, name="patent_status"),
    path("assistance/", console.assistance, name="assistance"),
    path("assistance/statistics/", console.assistance_stats, name="assistance_stats"),
    path("providers/", console.providers, name="providers"),
    path("enterprises/", console.enterprises_page, name="enterprises"),
    path("enterprises/designate/", console.designate, name="designate"),
    path("enterprises/designations/<int:pk>/revoke/", console.revoke, name="revoke"),
    path("organisations/search/", console.org_search, name="org_search"),
]
