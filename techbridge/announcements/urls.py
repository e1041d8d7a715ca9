"""Portal pages of deal announcements, mounted at /announcements/."""

from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("ended/", views.announcement_list, {"tab": "ended"}, name="ended"),
    path("deals/", views.published_deals, name="deals"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/object/", views.objection_create, name="object"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="evidence"),
    path("contracts/<int:pk>/publication/", views.publication_consent, name="consent"),
]
