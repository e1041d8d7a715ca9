"""Django admin for contracts: read-only inspection for superusers (writes go through the services)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from techbridge.achievements.admin import ReadOnlyAdminMixin

from .models import Contract, Instalment, Payment, Signature


class SignatureInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Signature


class InstalmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Instalment


class PaymentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Payment


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "seller_name",
        "buyer_name",
        "total_amount",
        "status",
        "registration_number",
    )
    list_filter = ("status", "contract_type", "origin")
    search_fields = ("number", "title", "seller_name", "buyer_name", "registration_number")
    inlines = [SignatureInline, InstalmentInline, PaymentInline]
    # A natural person's document number is shown masked here too (``<side>_id_masked``).
    exclude = ("seller_id_number", "buyer_id_number")
    readonly_fields = ("seller_id_masked", "buyer_id_masked")

    @admin.display(description=_("seller's document number (masked)"))
    def seller_id_masked(self, obj: Contract) -> str:
        return obj.seller_id_masked

    @admin.display(description=_("buyer's document number (masked)"))
    def buyer_id_masked(self, obj: Contract) -> str:
        return obj.buyer_id_masked
