"""Portal pages of contracts, mounted at /contracts/."""

from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("statistics/", views.public_stats, name="stats"),
    path("external/new/", views.external_new, name="external"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/sign/", views.sign_view, name="sign"),
    path("<int:pk>/clauses/<slug:key>/edit/", views.clause_edit, name="clause"),
    path("<int:pk>/submit/", views.submit_view, name="submit"),
    path("<int:pk>/performed/", views.performed_view, name="performed"),
    path("<int:pk>/amend/", views.amend_view, name="amend"),
    path("<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("<int:pk>/payments/", views.payment_view, name="payment"),
    path("<int:pk>/schedule/<int:item_pk>/reached/", views.milestone_view, name="milestone"),
    path("<int:pk>/contract.pdf", views.contract_pdf, name="pdf"),
    path("<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate"),
]
