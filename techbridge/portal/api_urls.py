"""REST API routes of the portal, included into /api/v1/ (URL names in the ``api`` namespace)."""

from django.urls import path

from .api import ScreenView

urlpatterns = [path("screen/", ScreenView.as_view(), name="screen")]
