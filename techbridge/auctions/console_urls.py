"""Console pages of auctions, mounted at /console/auctions/."""

from django.urls import path

from . import views, views_deposits

app_name = "auctions_console"
urlpatterns = [
    path("", views.console_home, name="home"),
    path("sessions/new/", views.console_session_form, name="session_create"),
    path("sessions/<int:pk>/", views.console_session, name="session"),
    path("sessions/<int:pk>/edit/", views.console_session_form, name="session_edit"),
    path("sessions/<int:session_pk>/lots/new/", views.console_lot_form, name="lot_create"),
    path("lots/<int:pk>/", views.console_lot, name="lot"),
    path("lots/<int:pk>/edit/", views.console_lot_form, name="lot_edit"),
    path("registrations/<int:pk>/deposit/", views.console_deposit, name="deposit"),
    path("statements/", views_deposits.console_statements, name="statements"),
    path("statements/preview/", views_deposits.console_statement_preview, name="statement_preview"),
    path("statements/import/", views_deposits.console_statement_import, name="statement_import"),
    path("statements/<int:pk>/", views_deposits.console_statement, name="statement"),
    path("statement-lines/", views_deposits.console_unmatched, name="unmatched"),
    path("statement-lines/<int:pk>/assign/", views_deposits.console_line_assign, name="line_assign"),
    path("statement-lines/<int:pk>/dismiss/", views_deposits.console_line_dismiss, name="line_dismiss"),
    path("refunds/", views_deposits.console_refunds, name="refunds"),
    path("refunds/export/", views_deposits.console_refund_export, name="refund_export"),
    path("refunds/<int:pk>/download/", views_deposits.console_refund_download, name="refund_download"),
]
