"""Console pages of mining, mounted at /console/mining/."""

from django.urls import path

app_name = "mining_console"
urlpatterns: list = []

# ---- imports, duplicates, analysis and catalogues (mining-pipeline)
from django.urls import include  # noqa: E402

from . import analysis_views, catalogue_views  # noqa: E402

urlpatterns += [
    path("imports/", include("techbridge.imports.console_urls")),
    path("analysis/", analysis_views.analysis_view, name="analysis"),
    path("analysis/export.xlsx", analysis_views.analysis_export_view, name="analysis_export"),
    path("analysis/recompute/", analysis_views.analysis_recompute_view, name="analysis_recompute"),
    path("catalogues/", catalogue_views.console_list_view, name="catalogues"),
    path("catalogues/<int:pk>/", catalogue_views.console_edit_view, name="catalogue_edit"),
    path("catalogues/<int:pk>/add/", catalogue_views.console_add_view, name="catalogue_add"),
    path("catalogues/<int:pk>/publish/", catalogue_views.console_publish_view, name="catalogue_publish"),
    path(
        "catalogues/<int:pk>/entries/<int:entry_pk>/",
        catalogue_views.console_entry_view,
        name="catalogue_entry",
    ),
]

# ---- classification and achievement packages (mining-ml)
from . import views as ml_views  # noqa: E402

urlpatterns += [
    path("classification/", ml_views.classification_console_view, name="classification"),
    path("packages/", ml_views.console_packages_view, name="packages"),
    path("packages/generate/", ml_views.console_generate_view, name="package_generate"),
    path("packages/<int:pk>/", ml_views.console_package_edit_view, name="package_edit"),
    path("packages/<int:pk>/state/", ml_views.console_package_state_view, name="package_state"),
    path("packages/<int:pk>/promote/", ml_views.console_package_promote_view, name="package_promote"),
]
