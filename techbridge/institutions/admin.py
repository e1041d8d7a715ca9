"""Institutions in the Django admin: read-only for superusers (work is done in the console)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CreditEvent, Institution, QuarterlyScore, Rating


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "status", "alliance_role", "is_demo")
    list_filter = ("status",)
    list_select_related = ("organization",)


@admin.register(QuarterlyScore)
class QuarterlyScoreAdmin(ReadOnlyAdmin):
    list_display = ("institution", "year", "quarter", "version", "total", "grade")


@admin.register(CreditEvent)
class CreditEventAdmin(ReadOnlyAdmin):
    list_display = ("institution", "kind", "severity", "occurred_on", "status")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("institution", "score", "created_at")
