"""Portal pages of mining, mounted at /mining/."""

from django.urls import path

app_name = "mining"
urlpatterns: list = []

# ---- analysis and catalogues (mining-pipeline)
from . import catalogue_views  # noqa: E402

urlpatterns += [
    path("catalogues/", catalogue_views.portal_list_view, name="catalogues"),
    path("catalogues/<int:pk>/", catalogue_views.portal_detail_view, name="catalogue_detail"),
    path("catalogues/<int:pk>/catalogue.pdf", catalogue_views.portal_pdf_view, name="catalogue_pdf"),
    path("catalogues/<int:pk>/catalogue.xlsx", catalogue_views.portal_xlsx_view, name="catalogue_xlsx"),
]

# ---- classification and achievement packages (mining-ml)
from . import views as ml_views  # noqa: E402

urlpatterns += [
    path("packages/", ml_views.package_list_view, name="packages"),
    path("packages/<int:pk>/", ml_views.package_detail_view, name="package_detail"),
    path("classification/<str:kind>/<int:pk>/correct/", ml_views.correct_view, name="classification_correct"),
]
