"""Django admin for achievements: read-only inspection for superusers.

Content and status change only through the portal and the console, whose services validate, audit
and keep the search index in step; the admin would bypass all three, so it does not write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Achievement, AchievementAttachment, NdaAcceptance


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AchievementAttachment
    fields = ("name", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    extra = 0


class NdaInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = NdaAcceptance
    fields = ("user", "accepted_at", "terms_version")
    readonly_fields = fields
    extra = 0


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "owner", "kind", "trl", "status", "is_demo", "published_at", "stale_since")
    list_filter = ("status", "kind", "is_demo", "dual_use", "source", "fields")
    search_fields = ("title", "keywords", "owner__name", "external_id")
    list_select_related = ("owner",)
    date_hierarchy = "published_at"
    inlines = [AttachmentInline, NdaInline]


@admin.register(NdaAcceptance)
class NdaAcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("accepted_at", "user", "achievement", "terms_version")
    list_select_related = ("user", "achievement")
    search_fields = ("user__username", "achievement__title")
