"""Django admin for superusers (inspection only; work is done through the portal and console)."""

from django.contrib import admin

from .models import (
    AnalysisRequest,
    AssistanceRequest,
    Designation,
    EnterpriseIndicators,
    Industry,
    NavigationReport,
    Patent,
    PatentAlert,
    ServiceProvider,
    WatchedProduct,
)


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = (
        "application_number",
        "publication_number",
        "title",
        "kind",
        "legal_status",
        "expiry_date",
        "city",
    )
    list_filter = ("kind", "legal_status", "is_demo")
    search_fields = ("application_number", "publication_number", "title", "first_applicant")
    readonly_fields = ("legal_status", "expiry_date")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_base", "member_count", "version", "membership_version")


@admin.register(NavigationReport)
class NavigationReportAdmin(admin.ModelAdmin):
    list_display = ("industry", "status", "created_at", "finished_at", "patent_count")
    readonly_fields = ("status",)


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ("organization", "role", "offers_analysis", "offers_assistance", "is_active")


@admin.register(WatchedProduct)
class WatchedProductAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "is_active", "updated_at")


@admin.register(PatentAlert)
class PatentAlertAdmin(admin.ModelAdmin):
    list_display = ("product", "patent", "status", "score", "created_at")
    readonly_fields = ("status",)


@admin.register(AnalysisRequest)
class AnalysisRequestAdmin(admin.ModelAdmin):
    list_display = ("organization", "patent", "provider", "status", "created_at")
    readonly_fields = ("status",)


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(admin.ModelAdmin):
    list_display = ("title", "applicant", "kind", "provider", "status", "due_date")
    readonly_fields = ("status",)


@admin.register(EnterpriseIndicators)
class EnterpriseIndicatorsAdmin(admin.ModelAdmin):
    list_display = ("organization", "year", "employees", "patents_in_force", "invention_share")


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    list_display = ("organization", "year", "industry", "revoked_at")
