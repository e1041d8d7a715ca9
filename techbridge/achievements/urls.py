"""Portal pages of achievements, mounted at /achievements/."""

from django.urls import path

from techbridge.core.listing_file_views import portal_urls

from . import views
from .files import FILES

app_name = "achievements"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/", views.form_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.form_view, name="edit"),
    path("<int:pk>/submit/", views.submit_view, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("<int:pk>/reopen/", views.reopen_view, name="reopen"),
    path("<int:pk>/nda/", views.accept_nda_view, name="accept_nda"),
    *portal_urls(FILES),
]
