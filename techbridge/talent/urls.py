"""Portal pages of talent, mounted at /talent/."""

from django.urls import path

from . import views

app_name = "talent"
urlpatterns = [
    path("", views.home, name="home"),
    path("managers/", views.managers, name="managers"),
    path("managers/<int:pk>/", views.manager, name="manager"),
    path("managers/mine/", views.manager_mine, name="manager_mine"),
    path("certificates/declare/", views.certificate_declare, name="certificate_declare"),
    path("routings/<int:pk>/<str:verb>/", views.routing_answer, name="routing_answer"),
    path("training/", views.training, name="training"),
    path("training/sessions/<int:pk>/", views.session, name="session"),
    path("training/sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("training/enrolments/<int:pk>/cancel/", views.cancel_enrolment, name="cancel_enrolment"),
    path("training/mine/", views.training_mine, name="training_mine"),
]
