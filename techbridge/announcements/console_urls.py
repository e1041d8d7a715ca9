"""Console pages of deal announcements, mounted at /console/announcements/."""

from django.urls import path

from . import views

app_name = "announcements_console"
urlpatterns = [
    path("", views.console_home, name="home"),
    path("objections/<int:pk>/", views.console_objection, name="objection"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
]
