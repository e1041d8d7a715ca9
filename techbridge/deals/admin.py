"""Django admin for negotiation rooms: read-only inspection for superusers."""

from __future__ import annotations

from django.contrib import admin

from techbridge.achievements.admin import ReadOnlyAdminMixin

from .models import BrokerInvitation, Dispute, Offer, Room


class OfferInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Offer
    fields = ("side", "deal_mode", "price", "payment_terms", "status", "created_at")


class BrokerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BrokerInvitation


class DisputeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Dispute


@admin.register(Room)
class RoomAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "seller", "buyer", "status", "origin", "updated_at")
    list_filter = ("status", "origin")
    search_fields = ("title",)
    inlines = [OfferInline, BrokerInline, DisputeInline]
