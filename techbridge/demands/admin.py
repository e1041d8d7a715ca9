"""Django admin for technology demands: read-only inspection for superusers.

Content and status change only through the portal and the console, whose services validate, audit
and keep the search index in step; the admin would bypass all three, so it does not write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Demand


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "enterprise",
        "status",
        "budget_min",
        "budget_max",
        "deadline",
        "is_demo",
        "published_at",
    )
    list_filter = ("status", "is_demo", "source", "fields", "cooperation_modes")
    search_fields = ("title", "keywords", "enterprise__name", "external_id")
    list_select_related = ("enterprise",)
    date_hierarchy = "published_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
