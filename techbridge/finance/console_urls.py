"""Console pages of technology finance, mounted at /console/finance/."""

from django.urls import path

from .views import console, funds

app_name = "finance_console"
urlpatterns = [
    path("investors/", console.investors, name="investors"),
    path("investors/<int:pk>/qualify/", console.qualify, name="qualify"),
    path("investors/<int:pk>/reject/", console.reject, name="reject"),
    path("stats/", console.statistics, name="stats"),
    path("funds/", funds.funds, name="funds"),
    path("funds/calls/new/", funds.call_create, name="call_create"),
    path("fund-applications/<int:pk>/panel/", funds.panel, name="fund_panel"),
    path("fund-applications/<int:pk>/decide/", funds.decide, name="fund_decide"),
    path("fund-applications/<int:pk>/disburse/", funds.disburse, name="fund_disburse"),
]
