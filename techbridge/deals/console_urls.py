"""Console pages of deals, mounted at /console/deals/."""

from django.urls import path

from . import views

app_name = "deals_console"
urlpatterns = [
    path("disputes/", views.console_disputes, name="disputes"),
]
