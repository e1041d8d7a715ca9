"""Django admin for matching: read-only inspection of the index queue and the notices sent.

The queue changes only through the lifecycle task and ``rebuild_index`` (claims, versions); an edit here
would bypass both, so the admin does not write. Vectors themselves are not shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IndexEntry, IndexVersion, MatchNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndexEntry)
class IndexEntryAdmin(ReadOnlyAdmin):
    list_display = ("kind", "object_id", "state", "attempts", "claimed_by", "claimed_at", "updated_at")
    list_filter = ("kind", "state")
    search_fields = ("=object_id", "claimed_by", "content_hash")


@admin.register(IndexVersion)
class IndexVersionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "version", "updated_at")


@admin.register(MatchNotice)
class MatchNoticeAdmin(ReadOnlyAdmin):
    list_display = ("demand", "achievement", "score", "created_at")
    list_select_related = ("demand", "achievement")
    raw_id_fields = ("demand", "achievement")
