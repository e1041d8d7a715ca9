"""Portal pages of challenges, mounted at /challenges/."""

from django.urls import path

from . import views

app_name = "challenges"
urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("new/", views.challenge_create, name="create"),
    path("<int:pk>/", views.challenge_detail, name="detail"),
    path("<int:pk>/edit/", views.challenge_edit, name="edit"),
    path("<int:pk>/submit/", views.action, {"name": "submit"}, name="submit"),
    path("<int:pk>/withdraw/", views.action, {"name": "withdraw"}, name="withdraw"),
    path("<int:pk>/close/", views.action, {"name": "close"}, name="close"),
    path("<int:pk>/award/", views.action, {"name": "award"}, name="award"),
    path("<int:pk>/fail/", views.action, {"name": "fail"}, name="fail"),
    path("<int:pk>/apply/", views.application_create, name="apply"),
    path("<int:pk>/review/", views.review, name="review"),
    path(
        "applications/<int:pk>/withdraw/",
        views.action,
        {"name": "application-withdraw"},
        name="application-withdraw",
    ),
    path("applications/<int:pk>/plan/", views.application_plan, name="application-plan"),
    path(
        "applications/<int:pk>/score/", views.action, {"name": "application-score"}, name="application-score"
    ),
    path("milestones/<int:pk>/decide/", views.action, {"name": "milestone-decide"}, name="milestone-decide"),
]
