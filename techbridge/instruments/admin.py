"""Superusers only: inspect records; the work itself is done in the portal, console and API."""

from django.contrib import admin

from .models import (
    Booking,
    Instrument,
    Invoice,
    ServiceOffer,
    ServiceOrder,
    ServicePlatform,
    UsageRecord,
    Voucher,
    VoucherProgramme,
    VoucherRedemption,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[override]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[override]
        return False


@admin.register(Instrument)
class InstrumentAdmin(ReadOnly):
    list_display = ("name", "model_number", "owner", "category", "status", "is_demo")
    list_filter = ("status", "category", "kind", "publicly_funded", "is_demo")
    search_fields = ("name", "model_number", "owner__name")


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ("instrument", "organization", "starts_at", "ends_at", "status")
    list_filter = ("status", "audience")


@admin.register(UsageRecord)
class UsageAdmin(ReadOnly):
    list_display = ("instrument", "organization", "started_at", "hours", "fee", "audience", "status")


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = ("number", "provider", "payer", "amount", "voucher_amount", "payable", "issued_at")


@admin.register(VoucherProgramme)
class ProgrammeAdmin(ReadOnly):
    list_display = ("year", "name", "budget", "allocated", "share", "status")


@admin.register(Voucher)
class VoucherAdmin(ReadOnly):
    list_display = ("number", "programme", "enterprise", "quota", "spent", "status")


@admin.register(VoucherRedemption)
class RedemptionAdmin(ReadOnly):
    list_display = ("voucher", "invoice", "amount", "status")


@admin.register(ServicePlatform)
class PlatformAdmin(ReadOnly):
    list_display = ("name", "industry", "host", "designated_on", "status")


@admin.register(ServiceOffer)
class OfferAdmin(ReadOnly):
    list_display = ("title", "platform", "kind", "is_active")


@admin.register(ServiceOrder)
class OrderAdmin(ReadOnly):
    list_display = ("offer", "organization", "status", "quote_amount", "rating")
