"""Console pages of valuation (operators), mounted at /console/valuation/."""

from django.urls import path

from . import views

app_name = "valuation_console"
urlpatterns = [
    path("", views.console_queue, name="queue"),
    path("requests/<int:pk>/", views.console_request, name="request"),
    path("experts/", views.console_experts, name="experts"),
    path("experts/<int:pk>/", views.console_expert, name="expert"),
    path("weights/", views.console_weights, name="weights"),
]
