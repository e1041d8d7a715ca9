"""Console pages of imports and de-duplication, mounted at /console/imports/ (``imports_console:*``)."""

from django.urls import path

from . import views

app_name = "imports_console"
urlpatterns = [
    path("", views.batch_list_view, name="list"),
    path("<int:pk>/", views.batch_detail_view, name="detail"),
    path("<int:pk>/confirm/", views.batch_confirm_view, name="confirm"),
    path("<int:pk>/cancel/", views.batch_cancel_view, name="cancel"),
    path("<int:pk>/resume/", views.batch_resume_view, name="resume"),
    path("<int:pk>/refused.xlsx", views.refused_rows_view, name="refused"),
    path("templates/<str:kind>.xlsx", views.template_view, name="template"),
    path("duplicates/", views.duplicate_list_view, name="duplicates"),
    path("duplicates/scan/", views.duplicate_scan_view, name="duplicate_scan"),
    path("duplicates/<int:pk>/", views.duplicate_decide_view, name="duplicate_decide"),
]
