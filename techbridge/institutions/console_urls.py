"""Console pages of institutions, mounted at /console/institutions/."""

from django.urls import path

from . import console_views as views

app_name = "institutions_console"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("all/", views.institution_list, name="list"),
    path("<int:pk>/", views.institution, name="institution"),
    path("<int:pk>/decide/", views.decide_application, name="decide"),
    path("<int:pk>/alliance/", views.alliance, name="alliance"),
    path("<int:pk>/credit-events/", views.record_event, name="record_event"),
    path("designations/<int:pk>/verify/", views.verify_designation, name="verify_designation"),
    path("designations/<int:pk>/revoke/", views.revoke_designation, name="revoke_designation"),
    path("reports/<int:pk>/decide/", views.decide_report, name="decide_report"),
    path("credit-events/<int:pk>/blacklist/", views.blacklist_for_event, name="blacklist"),
    path("blacklistings/<int:pk>/lift/", views.lift, name="lift"),
    path("appeals/<int:pk>/decide/", views.decide_appeal, name="decide_appeal"),
    path("scores/", views.scores, name="scores"),
    path("weights/", views.weights, name="weights"),
    path("standards/", views.standards, name="standards"),
    path("credit/", views.credit, name="credit"),
]
