"""Portal pages of instruments, mounted at /instruments/."""

from django.urls import path

from .views import booking, catalogue, platforms, utilisation, vouchers

app_name = "instruments"
urlpatterns = [
    path("", catalogue.instrument_list, name="list"),
    path("new/", catalogue.instrument_create, name="create"),
    path("<int:pk>/", catalogue.instrument_detail, name="detail"),
    path("<int:pk>/edit/", catalogue.instrument_edit, name="edit"),
    path("<int:pk>/rates/", catalogue.instrument_rates, name="rates"),
    path("<int:pk>/calendar/", catalogue.instrument_calendar, name="calendar"),
    path("<int:pk>/book/", catalogue.instrument_book, name="book"),
    path("<int:pk>/status/<str:action>/", catalogue.instrument_status, name="status"),
    path("<int:pk>/qualifications/", catalogue.qualification_grant, name="qualify"),
    path("<int:pk>/qualifications/<int:qpk>/revoke/", catalogue.qualification_revoke, name="unqualify"),
    path("<int:pk>/maintenance/", catalogue.maintenance_add, name="maintenance"),
    path("<int:pk>/maintenance/<int:mpk>/remove/", catalogue.maintenance_remove, name="maintenance_remove"),
    path("<int:pk>/usage/", catalogue.internal_use, name="internal_use"),
    path("bookings/", booking.booking_list, name="bookings"),
    path("bookings/<int:pk>/", booking.booking_detail, name="booking"),
    path("bookings/<int:pk>/<str:action>/", booking.booking_action, name="booking_action"),
    path("statements/<int:pk>/", booking.invoice_detail, name="invoice"),
    path("statements/<int:pk>/pdf/", booking.invoice_pdf, name="invoice_pdf"),
    path("statements/<int:pk>/claim/", booking.invoice_claim, name="invoice_claim"),
    path("utilisation/", utilisation.utilisation, name="utilisation"),
    path("match/demands/<int:pk>/", utilisation.demand_matches, name="demand_matches"),
    path("mine/", utilisation.mine_fragment, name="mine"),
    path("vouchers/", vouchers.voucher_home, name="vouchers"),
    path("vouchers/programmes/<int:pk>/apply/", vouchers.voucher_apply, name="voucher_apply"),
    path("vouchers/<int:pk>/", vouchers.voucher_detail, name="voucher"),
    path("vouchers/<int:pk>/withdraw/", vouchers.voucher_withdraw, name="voucher_withdraw"),
    path("platforms/", platforms.platform_list, name="platforms"),
    path("platforms/<int:pk>/", platforms.platform_detail, name="platform"),
    path("platforms/<int:pk>/edit/", platforms.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/offers/new/", platforms.offer_edit, name="offer_create"),
    path("platforms/<int:pk>/offers/<int:offer_pk>/edit/", platforms.offer_edit, name="offer_edit"),
    path("services/<int:pk>/request/", platforms.offer_request, name="offer_request"),
    path("orders/<int:pk>/", platforms.order_detail, name="order"),
    path("orders/<int:pk>/<str:action>/", platforms.order_action, name="order_action"),
]
