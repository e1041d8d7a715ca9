"""Django admin of auctions: for looking, not for changing. Prices, bids and deposits move only
through the services (conditional UPDATEs, audit, the SM3 chain), so the admin is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AuctionSession, Bid, Lot, Registration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuctionSession)
class AuctionSessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "starts_at", "deposit_amount"]
    list_filter = ["status"]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "session",
        "format",
        "status",
        "current_price",
        "bid_count",
        "ends_at",
        "hammer_price",
    ]
    list_filter = ["status", "format"]
    search_fields = ["title"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["session", "number", "user", "organization", "deposit_status"]
    list_filter = ["deposit_status"]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ["lot", "seq", "registration", "amount", "kind", "created_at", "hash"]
    list_filter = ["kind"]
