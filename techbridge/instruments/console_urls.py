"""Console pages of instruments, mounted at /console/instruments/."""

from django.urls import path

from .views import console

app_name = "instruments_console"
urlpatterns = [
    path("vouchers/", console.vouchers, name="vouchers"),
    path("vouchers/programmes/new/", console.programme_edit, name="programme_create"),
    path("vouchers/programmes/<int:pk>/", console.programme_edit, name="programme"),
    path("vouchers/programmes/<int:pk>/<str:action>/", console.programme_action, name="programme_action"),
    path("vouchers/<int:pk>/", console.voucher_review, name="voucher"),
    path("vouchers/<int:pk>/<str:action>/", console.voucher_decide, name="voucher_decide"),
    path("claims/", console.claims, name="claims"),
    path("claims/<int:pk>/<str:action>/", console.claim_action, name="claim_action"),
    path("platforms/", console.platforms, name="platforms"),
    path("platforms/new/", console.platform_edit, name="platform_create"),
    path("platforms/<int:pk>/", console.platform_edit, name="platform"),
    path("platforms/<int:pk>/<str:action>/", console.platform_status, name="platform_status"),
    path("utilisation/", console.utilisation, name="utilisation"),
]
