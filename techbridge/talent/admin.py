"""Talent in the Django admin: read-only for superusers (work is done in the console)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Certificate, Expert, TalentEntry, TechnologyManager


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ("user", "title", "active", "created_at")
    list_filter = ("active",)


@admin.register(TechnologyManager)
class ManagerAdmin(ReadOnlyAdmin):
    list_display = ("user", "level", "status")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("holder", "kind", "number", "issuer", "issued_on", "status")


@admin.register(TalentEntry)
class TalentEntryAdmin(ReadOnlyAdmin):
    list_display = ("person_name", "programme", "category", "year")
