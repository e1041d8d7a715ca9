"""The public verification of transaction certificates, mounted at /certificates/."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify-code"),
    path("verify/<str:code>/pdf/", views.certificate_pdf, name="pdf"),
]
