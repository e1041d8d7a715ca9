"""Public pages of governance, mounted at /governance/."""

from django.urls import path

from .views import portal

app_name = "governance"
urlpatterns = [
    path("", portal.summary, name="summary"),
    path("targets/<int:pk>/", portal.target, name="target"),
    path("policies/", portal.policies, name="policies"),
    path("policies/mine/", portal.mine, name="mine"),
    path("policies/<int:pk>/", portal.policy, name="policy"),
    path("university/", portal.university, name="university"),
]
