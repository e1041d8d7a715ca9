"""Django admin for valuation: read-only inspection for superusers.

Requests, panels, scores, weights and issued valuations change only through the services (validated,
audited; issued valuations never change), so the admin does not write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import PanelMember, Scorecard, ScorecardWeights, Valuation, ValuationRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PanelInline(admin.TabularInline):
    model = PanelMember
    fields = ("expert", "score", "value_low", "value_high", "scored_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ValuationRequest)
class ValuationRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "achievement", "requester_kind", "purpose", "status", "created_at")
    list_filter = ("status", "requester_kind", "purpose")
    list_select_related = ("achievement",)
    inlines = [PanelInline]


@admin.register(Valuation)
class ValuationAdmin(ReadOnlyAdmin):
    list_display = ("id", "achievement", "version", "low", "point", "high", "grade", "issued_at")
    list_select_related = ("achievement",)


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ("achievement", "grade", "score", "coverage", "weights_version", "updated_at")
    list_filter = ("grade",)
    list_select_related = ("achievement",)


@admin.register(ScorecardWeights)
class ScorecardWeightsAdmin(ReadOnlyAdmin):
    list_display = ("version", "note", "created_by", "created_at")
