"""What the demands app adds to the shared pages (menus, home, "my work", console figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import listings, registry
from techbridge.core.listing_file_views import gallery_context
from techbridge.core.listing_files import file_audit_labels, file_review_labels, pending_count
from techbridge.core.listing_permissions import can_review
from techbridge.core.listing_views import mine_section, newest_block
from techbridge.core.roles import is_console_user
from techbridge.core.workflow import ReviewStatus


def _pickable_demands(user: Any) -> Any:
    """What a form may offer this user: published demands and their own organisation's."""
    from techbridge.core.listing_permissions import pickable

    from .models import Demand

    return pickable(Demand, user, "enterprise")


def _demand_label(d: Any) -> str:
    return f"{d.title}（{d.enterprise.name}）" if d.enterprise_id else d.title


def _screen_fields() -> dict[str, Any] | None:
    from .models import Demand

    return listings.field_chart(Demand, str(_("Published demands")))


def register() -> None:
    registry.register_screen_chart(
        registry.ScreenChart(
            "demands.by_field", _("Technology demands by industry field"), _screen_fields, order=30
        )
    )
    registry.register_picker(
        registry.PickerKind(
            "demands",
            visible=_pickable_demands,
            label=_demand_label,
            fields=("title",),
            fulltext="demand",
            name_field="title",
        )
    )
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
    registry.register_audit_labels({**listings.review_audit_labels(Demand), **file_audit_labels(Demand)})
    from .files import FILES

    registry.register_audit_labels(file_review_labels(FILES))
    registry.register_counter(
        "demands.files_pending",
        _("Files of demands awaiting review"),
        lambda: pending_count(FILES),
        visible=can_review,
        url_name="demands_console:files",
        order=11,
        attention=True,
    )

    registry.register_panel(
        "demand.detail", "core/portal/includes/listing_gallery.html", order=5, context=gallery_context(FILES)
    )
    registry.register_metric(
        registry.Metric(
            "demands.published",
            _("Demands published"),
            _("demands"),
            _published_in,
            description=_("Demands published in the period, by the enterprise's location."),
            order=32,
            by_organization=_published_by_enterprise,
            by_place=_published_by_place,
        )
    )


# ---- metrics (governance dashboards): dated by publication, placed by the enterprise ----------------


def _published(period: registry.Period):
    from .models import Demand

    start, end = period.datetimes()
    return Demand.objects.filter(
        status__in=(ReviewStatus.PUBLISHED, ReviewStatus.EXPIRED),
        published_at__gte=start,
        published_at__lt=end,
    )


def _published_in(period: registry.Period, district: str | None = None, zone: Any = None) -> int | None:
    from django.db.models import Min

    from techbridge.organizations.queries import located_in

    from .models import Demand

    first = Demand.objects.filter(published_at__isnull=False).aggregate(m=Min("published_at"))["m"]
    if first is None or first >= period.datetimes()[1]:
        return None
    return _published(period).filter(located_in("enterprise__", district=district, zone=zone)).count()


def _published_by_enterprise(period: registry.Period) -> dict[int, int]:
    from django.db.models import Count

    rows = _published(period).order_by().values("enterprise_id").annotate(n=Count("id"))
    return {r["enterprise_id"]: r["n"] for r in rows}


def _published_by_place(period: registry.Period) -> dict[tuple[str, int | None], int]:
    from django.db.models import Count

    from techbridge.organizations.queries import by_place

    return by_place(_published(period), "enterprise__", Count("id"))
