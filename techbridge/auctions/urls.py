"""Portal pages of auctions, mounted at /auctions/."""

from django.urls import path

from . import views, views_deposits

app_name = "auctions"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("registrations/<int:pk>/", views_deposits.registration_detail, name="registration"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/status/", views.lot_status, name="lot_status"),
    path("lots/<int:pk>/bid/", views.lot_bid, name="lot_bid"),
    path("lots/<int:pk>/proxy/", views.lot_proxy, name="lot_proxy"),
]
