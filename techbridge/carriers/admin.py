"""Django admin of carriers and enterprises: for looking, not for changing. Statuses, evaluations and
designations move only through the services (state machine, audit log), so the admin is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import (
    Alliance,
    AnnualReport,
    Carrier,
    Designation,
    Evaluation,
    EvaluationFormula,
    IncubatedFirm,
    Project,
    RdInput,
    TypicalCase,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Carrier)
class CarrierAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "kind",
        "level",
        "recognised_on",
        "operator",
        "district",
        "zone",
        "status",
        "is_demo",
    ]
    list_filter = ["kind", "level", "status", "district", "zone", "is_demo"]
    search_fields = ["name", "operator__name"]


@admin.register(IncubatedFirm)
class IncubatedFirmAdmin(ReadOnlyAdmin):
    list_display = ["name", "carrier", "entered_on", "status", "graduated_on"]
    list_filter = ["status"]
    search_fields = ["name", "carrier__name"]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["carrier", "year", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "year"]


@admin.register(EvaluationFormula)
class EvaluationFormulaAdmin(ReadOnlyAdmin):
    list_display = ["family", "version", "title", "status", "activated_at"]
    list_filter = ["family", "status"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["carrier", "year", "formula", "score", "grade", "issued_at"]
    list_filter = ["grade", "year"]


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ["organization", "kind", "year", "granted_on", "valid_until", "status", "is_demo"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["organization__name", "certificate_no"]


@admin.register(RdInput)
class RdInputAdmin(ReadOnlyAdmin):
    list_display = ["organization", "year", "rd_expenditure", "revenue", "rd_staff"]
    list_filter = ["year"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "lead", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    list_display = ["name", "lead", "founded_on", "status"]
    list_filter = ["status"]


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "status", "source_kind", "published_at"]
    list_filter = ["category", "status"]
