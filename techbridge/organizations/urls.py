"""Public organisation pages, mounted at /organizations/."""

from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/join/", views.organization_join, name="join"),
    path("<int:pk>/members/", views.organization_members, name="members"),
    path("join-requests/<int:pk>/withdraw/", views.membership_cancel, name="join_cancel"),
]
