"""Portal pages of mining, mounted at /mining/: catalogues (成果目录), achievement packages and
classification corrections."""

from django.urls import path

from . import catalogue_views, views

app_name = "mining"
urlpatterns = [
    path("catalogues/", catalogue_views.portal_list_view, name="catalogues"),
    path("catalogues/<int:pk>/", catalogue_views.portal_detail_view, name="catalogue_detail"),
    path("catalogues/<int:pk>/catalogue.pdf", catalogue_views.portal_pdf_view, name="catalogue_pdf"),
    path("catalogues/<int:pk>/catalogue.xlsx", catalogue_views.portal_xlsx_view, name="catalogue_xlsx"),
    path("packages/", views.package_list_view, name="packages"),
    path("packages/<int:pk>/", views.package_detail_view, name="package_detail"),
    path("classification/<str:kind>/<int:pk>/correct/", views.correct_view, name="classification_correct"),
]
