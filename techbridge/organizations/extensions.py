"""What the organisations app adds to the shared pages (menus, console figures)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core import registry

from .choices import OrgStatus


def register() -> None:
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
