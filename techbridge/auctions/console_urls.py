"""Console pages of auctions, mounted at /console/auctions/."""

from django.urls import path

from . import views

app_name = "auctions_console"
urlpatterns = [
    path("", views.console_home, name="home"),
    path("sessions/new/", views.console_session_form, name="session_create"),
    path("sessions/<int:pk>/", views.console_session, name="session"),
    path("sessions/<int:pk>/edit/", views.console_session_form, name="session_edit"),
    path("sessions/<int:session_pk>/lots/new/", views.console_lot_form, name="lot_create"),
    path("lots/<int:pk>/", views.console_lot, name="lot"),
    path("lots/<int:pk>/edit/", views.console_lot_form, name="lot_edit"),
    path("registrations/<int:pk>/deposit/", views.console_deposit, name="deposit"),
]
