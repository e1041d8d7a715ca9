"""Django admin of events: for looking, not for changing (seats and check-ins move only through the
services, by conditional UPDATEs with an audit entry)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Event, Registration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "status",
        "capacity",
        "registered_count",
        "legacy_roadshow_id",
    ]
    list_filter = ["kind", "status", "district", "zone", "is_demo"]
    search_fields = ["title", "venue"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
