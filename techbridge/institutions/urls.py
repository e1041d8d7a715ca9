"""Portal pages of institutions, mounted at /institutions/."""

from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/scores/<int:score_pk>/", views.score_detail, name="score"),
    path("mine/", views.mine, name="mine"),
    path("mine/profile/", views.profile_edit, name="profile"),
    path("mine/submit/", views.submit, name="submit"),
    path("mine/withdraw/", views.withdraw, name="withdraw"),
    path("mine/designations/", views.designation_new, name="designation_new"),
    path("mine/reports/<int:year>/", views.report_edit, name="report"),
    path("mine/reports/<int:year>/submit/", views.report_submit, name="report_submit"),
    path("mine/appeal/", views.appeal, name="appeal"),
    path("rate/<int:contract_pk>/", views.rate, name="rate"),
    path("standards/", views.standards, name="standards"),
    path("standards/<int:pk>/", views.standard, name="standard"),
    path("standards/<int:pk>/v<int:version>/", views.standard, name="standard_version"),
    path("organizations/search/", views.org_search, name="org_search"),
    path("files/<str:kind>/<int:pk>/", views.file, name="file"),
]
