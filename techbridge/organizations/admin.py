"""Django admin for organisations (superusers only, see techbridge/core/admin.py).

Operators create government departments and the platform operator here. The status is never edited
directly: the approve action goes through the same service as the console.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import TransitionError

from .models import Organization, Zone
from .services import approve_organization


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "order")
    search_fields = ("name", "code")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "district", "zone", "status", "is_demo", "created_at")
    list_filter = ("status", "kind", "district", "zone", "is_demo")
    search_fields = ("name", "credit_code")
    readonly_fields = ("status", "reject_reason", "created_at", "updated_at")
    actions = ["approve_selected"]

    @admin.action(description=_("Approve selected organisations"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        approved = 0
        for org in queryset:
            try:
                approve_organization(org, actor=request.user)
            except TransitionError as exc:
                self.message_user(request, f"{org}: {exc.message}", messages.WARNING)
            else:
                approved += 1
        self.message_user(request, _("%(n)s organisations approved.") % {"n": approved}, messages.SUCCESS)
