"""Portal pages of technology finance, mounted at /finance/."""

from django.urls import path

from .views import funds, loans, portal

app_name = "finance"
urlpatterns = [
    path("", portal.home, name="home"),
    path("mine/", portal.mine, name="mine"),
    path("investors/new/", portal.investor_create, name="investor_create"),
    path("investors/<int:pk>/", portal.investor_detail, name="investor"),
    path("investors/<int:pk>/products/new/", portal.product_create, name="product_create"),
    path("investors/<int:pk>/matches/", portal.investor_matches, name="investor_matches"),
    path("requests/", portal.request_list, name="requests"),
    path("requests/new/", portal.request_create, name="request_create"),
    path("requests/<int:pk>/", portal.request_detail, name="request"),
    path("requests/<int:pk>/plan/", portal.request_plan, name="plan"),
    path("requests/<int:pk>/nda/", portal.request_nda, name="nda"),
    path("requests/<int:pk>/withdraw/", portal.request_withdraw, name="withdraw"),
    path("requests/<int:pk>/introduce/", portal.request_introduce, name="introduce"),
    path("introductions/<int:pk>/", portal.introduction_detail, name="introduction"),
    path("introductions/<int:pk>/consent/", portal.introduction_consent, name="consent"),
    path("introductions/<int:pk>/advance/", portal.introduction_advance, name="advance"),
    path("calls/", funds.call_list, name="calls"),
    path("calls/<int:pk>/", funds.call_detail, name="call"),
    path("calls/<int:pk>/apply/", funds.call_apply, name="call_apply"),
    path("fund-applications/<int:pk>/", funds.application_detail, name="fund_application"),
    path("fund-applications/<int:pk>/score/", funds.application_score, name="fund_score"),
    path("loans/", loans.loan_list, name="loans"),
    path("loans/new/", loans.loan_apply, name="loan_apply"),
    path("loans/<int:pk>/", loans.loan_detail, name="loan"),
    path("loans/<int:pk>/decide/", loans.loan_decide, name="loan_decide"),
    path("loans/<int:pk>/register/", loans.loan_register, name="loan_register"),
    path("loans/<int:pk>/repay/", loans.loan_repay, name="loan_repay"),
]
