"""Portal pages of achievements, mounted at /achievements/."""

from django.urls import path

from . import views

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
    path("<int:pk>/files/<int:att_pk>/", views.attachment_view, name="attachment"),
    path("<int:pk>/files/<int:att_pk>/delete/", views.attachment_delete_view, name="attachment_delete"),
]
