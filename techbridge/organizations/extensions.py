"""What the organisations app adds to the shared pages (menus, console figures)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
