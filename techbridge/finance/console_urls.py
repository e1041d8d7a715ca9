"""Console pages of technology finance, mounted at /console/finance/."""

from django.urls import path

from .views import console

app_name = "finance_console"
urlpatterns = [
    path("investors/", console.investors, name="investors"),
    path("investors/<int:pk>/qualify/", console.qualify, name="qualify"),
    path("investors/<int:pk>/reject/", console.reject, name="reject"),
    path("stats/", console.statistics, name="stats"),
]
