"""Console pages of talent, mounted at /console/talent/."""

from django.urls import path

from . import console_views as views

app_name = "talent_console"
urlpatterns = [
    path("managers/", views.managers, name="managers"),
    path("managers/<int:pk>/", views.manager, name="manager"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/<int:pk>/verify/", views.certificate_verify, name="certificate_verify"),
    path("experts/", views.experts, name="experts"),
    path("experts/<int:pk>/", views.expert, name="expert"),
    path("training/", views.training, name="training"),
    path("training/sessions/<int:pk>/", views.session, name="session"),
    path("training/sessions/<int:pk>/results/", views.session_results, name="session_results"),
    path("training/sessions/<int:pk>/complete/", views.session_complete, name="session_complete"),
    path("training/sessions/<int:pk>/registration/", views.session_registration, name="session_registration"),
    path("secondments/", views.secondments, name="secondments"),
    path("register/", views.register, name="register"),
    path("routing/", views.routing, name="routing"),
    path("routing/demands/<int:pk>/route/", views.route_now, name="route_now"),
]
