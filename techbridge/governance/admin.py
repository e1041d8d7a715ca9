"""Superusers only; work is done in the console."""

from django.contrib import admin

from .models import (
    Decision,
    EvaluationFormula,
    Meeting,
    MonthlyReport,
    Plan,
    Policy,
    ProgressReport,
    Target,
    Task,
)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "period_label", "start", "end", "is_current"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "plan", "value", "unit", "comparison", "metric_code"]
    list_filter = ["plan"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "department", "year", "quarter", "status"]
    list_filter = ["status"]


admin.site.register([Meeting, Decision, EvaluationFormula, MonthlyReport, Policy])
