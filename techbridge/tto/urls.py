from django.urls import path

from . import views

app_name = "tto"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/new/", views.create, name="create"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.edit, name="edit"),
    path("cases/<int:pk>/submit/", views.submit, name="submit"),
    path("cases/<int:pk>/assess/", views.assess, name="assess"),
    path("cases/<int:pk>/decide/", views.decide, name="decide"),
    path("cases/<int:pk>/return/", views.return_case, name="return"),
    path("cases/<int:pk>/files/", views.add_file, name="add_file"),
    path("cases/<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
    path("cases/<int:pk>/publish/", views.publish, name="publish"),
    path("cases/<int:pk>/applications/", views.file_application, name="file_application"),
    path("cases/<int:pk>/income/", views.income, name="income"),
    path("cases/<int:pk>/distributions/", views.distribute, name="distribute"),
    path("applications/<int:pk>/examination/", views.request_examination, name="examination"),
    path("applications/<int:pk>/office-actions/", views.office_action, name="office_action"),
    path("applications/<int:pk>/grant/", views.grant, name="grant"),
    path("applications/<int:pk>/annuity/", views.annuity, name="annuity"),
    path("applications/<int:pk>/open-licence/", views.declare, name="declare"),
    path("office-actions/<int:pk>/answer/", views.answer_action, name="answer_action"),
    path("distributions/<int:pk>/issue/", views.issue, name="issue"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("licences/", views.licences, name="licences"),
    path("licences/<int:pk>/", views.licence_detail, name="licence"),
    path("licences/<int:pk>/take/", views.take, name="take"),
    path("licences/<int:pk>/withdraw/", views.withdraw_licence, name="withdraw_licence"),
    path("grants/<int:pk>/royalties/", views.royalties, name="royalties"),
    path("policy/", views.policy, name="policy"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/final/", views.finalise, name="finalise"),
    path("reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
]
