"""What the demands app adds to the shared pages (menus, home, "my work", console figures)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import listings, registry
from techbridge.core.listing_permissions import can_review
from techbridge.core.listing_views import mine_section, newest_block
from techbridge.core.roles import is_console_user
from techbridge.core.workflow import ReviewStatus


def register() -> None:
    from . import services
    from .models import Demand
    from .queries import visible_demands

    published = Demand.objects.filter(status=ReviewStatus.PUBLISHED)
    registry.register_nav("portal", _("Demands"), "demands:list", group="", order=20)
    registry.register_nav(
        "console",
        _("Demands awaiting review"),
        "demands_console:queue",
        group="console.review",
        order=20,
        visible=can_review,
    )
    registry.register_counter(
        "demands.submitted",
        _("Demands awaiting review"),
        lambda: Demand.objects.filter(status=ReviewStatus.SUBMITTED).count(),
        visible=can_review,
        url_name="demands_console:queue",
        order=11,
        attention=True,
    )
    registry.register_counter(
        "demands.published",
        _("Published demands"),
        published.count,
        visible=is_console_user,
        url_name="demands:list",
        order=21,
        public=True,
    )
    registry.register_counter(
        "demands.stale",
        _("Stale demands (not updated for 12 months)"),
        lambda: published.filter(stale_since__isnull=False).count(),
        visible=is_console_user,
        order=41,
    )
    registry.register_home_block(
        "core/portal/includes/newest.html",
        order=21,
        context=newest_block(
            visible_demands,
            app="demands",
            heading=_("Newest demands"),
            all_label=_("All demands"),
            empty=_("No demands have been published yet."),
        ),
    )
    registry.register_mine_section(
        "core/portal/includes/mine_section.html",
        order=20,
        context=mine_section(Demand, app="demands", heading=_("Demands"), new_label=_("Publish a demand")),
    )
    registry.register_daily_sweep(services.sweep_demands)
    registry.register_audit_labels(listings.review_audit_labels(Demand))
