"""Console pages of mining, mounted at /console/mining/: supply–demand analysis, catalogues (成果目录),
classification review and achievement packages."""

from django.urls import path

from . import analysis_views, catalogue_views, views

app_name = "mining_console"
urlpatterns = [
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
    path("classification/", views.classification_console_view, name="classification"),
    path("packages/", views.console_packages_view, name="packages"),
    path("packages/generate/", views.console_generate_view, name="package_generate"),
    path("packages/<int:pk>/", views.console_package_edit_view, name="package_edit"),
    path("packages/<int:pk>/state/", views.console_package_state_view, name="package_state"),
    path("packages/<int:pk>/promote/", views.console_package_promote_view, name="package_promote"),
]
