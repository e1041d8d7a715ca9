"""What the organisations app adds to the shared pages (menus, console figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core import registry

from .choices import OrgStatus


def _pickable_organizations(user: Any) -> Any:
    """Approved organisations (and the user's own); staff find every organisation."""
    from django.db.models import Q

    from techbridge.core.permissions import signed_in
    from techbridge.core.roles import is_console_user

    from .choices import OrgStatus
    from .models import Organization

    if not signed_in(user):
        return Organization.objects.none()
    if is_console_user(user):
        return Organization.objects.all()
    return Organization.objects.filter(Q(status=OrgStatus.APPROVED) | Q(pk=user.organization_id))


def _organization_label(o: Any) -> str:
    return f"{o.name}（{o.credit_code}）" if o.credit_code else o.name


def register() -> None:
    registry.register_picker(
        registry.PickerKind(
            "organizations",
            visible=_pickable_organizations,
            label=_organization_label,
            fields=("name",),
            prefix_fields=("credit_code",),
            name_field="name",
            order_by=("name",),
        )
    )
    from .models import Organization
    from .permissions import can_review

    registry.register_nav("portal", _("Organisations"), "organizations:list", group="", order=40)
    registry.register_nav(
        "console",
        _("Organisations awaiting review"),
        "organizations_console:queue",
        group="console.review",
        order=30,
        visible=can_review,
    )
    registry.register_counter(
        "organizations.pending",
        _("Organisations awaiting review"),
        lambda: Organization.objects.filter(status=OrgStatus.PENDING).count(),
        visible=can_review,
        url_name="organizations_console:queue",
        order=12,
        attention=True,
    )
    registry.register_counter(
        "organizations.approved",
        _("Organisations"),
        lambda: Organization.objects.filter(status=OrgStatus.APPROVED).count(),
        visible=can_review,
        url_name="organizations:list",
        order=30,
        public=True,
    )
    registry.register_audit_labels(
        {
            "organizations.organization.registered": pgettext_lazy("account sign-up", "Registered"),
            "organizations.organization.first_admin_joined": _("First administrator signed up"),
            "organizations.organization.approved": _("Approved"),
            "organizations.organization.rejected": _("Rejected"),
            "organizations.organization.edited": _("Profile edited"),
            "organizations.organization.credit_code_changed": _("Credit code added or corrected"),
            "organizations.organization.resubmitted": _("Corrected and resubmitted"),
            "organizations.organization.member_added": _("Member accepted"),
            "organizations.organization.member_removed": _("Member removed"),
            "organizations.organization.admin_granted": _("Made an admin"),
            "organizations.organization.admin_revoked": _("No longer an admin"),
            "organizations.membership_request.sent": _("Asked to join"),
            "organizations.membership_request.approved": _("Join request accepted"),
            "organizations.membership_request.rejected": _("Join request declined"),
            "organizations.membership_request.cancelled": _("Join request withdrawn"),
        }
    )
