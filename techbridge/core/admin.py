"""Django admin: superusers only. The audit log is read-only; notifications can be inspected.

Platform staff (reviewers, operators, officials) work in the console, never here, so the admin site
refuses everyone who is not a superuser even when ``is_staff`` was set by mistake.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Notification


def _superusers_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
admin.site.site_header = _("TechBridge administration")
admin.site.site_title = _("TechBridge administration")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: entries are only ever added by the platform, never edited here."""

    list_display = ("created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "content_type")
    search_fields = ("object_id", "message", "actor__username", "actor__real_name")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "actor",
        "content_type",
        "object_id",
        "action",
        "from_state",
        "to_state",
        "message",
        "data",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__username", "recipient__real_name")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    readonly_fields = ("created_at", "dedupe_key")
