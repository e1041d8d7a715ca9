"""Portal pages of valuation, mounted at /valuation/."""

from django.urls import path

from . import views

app_name = "valuation"
urlpatterns = [
    path("", views.home, name="home"),
    path("screening/", views.screening, name="screening"),
    path("achievements/<int:pk>/request/", views.request_create, name="request_create"),
    path("achievements/<int:pk>/scorecard/", views.scorecard, name="scorecard"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("panel/<int:pk>/", views.assignment, name="assignment"),
    path("v/<int:pk>/", views.valuation_detail, name="valuation"),
    path("v/<int:pk>/report.pdf", views.report, name="report"),
]
