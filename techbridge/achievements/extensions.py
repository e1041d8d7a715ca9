"""What the achievements app adds to the shared pages (menus, home, "my work", console figures)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techbridge.core import listings, registry
from techbridge.core.listing_file_views import gallery_context
from techbridge.core.listing_files import file_audit_labels, file_review_labels, pending_count
from techbridge.core.listing_permissions import can_review
from techbridge.core.listing_views import mine_section, newest_block
from techbridge.core.roles import is_console_user
from techbridge.core.workflow import ReviewStatus

from .choices import TITLE_ONLY_PREFIX


def _fields_block(request: HttpRequest) -> dict[str, Any]:
    from techbridge.taxonomy.models import IndustryField

    fields = IndustryField.objects.annotate(
        n=Count("achievement", filter=Q(achievement__status=ReviewStatus.PUBLISHED), distinct=True)
    ).order_by("order", "id")
    return {"fields": list(fields)}


def _pickable_achievements(user: Any) -> Any:
    """What a form may offer this user: published achievements and their own organisation's."""
    from techbridge.core.listing_permissions import pickable

    from .models import Achievement

    return pickable(Achievement, user, "owner")


def _achievement_label(a: Any) -> str:
    return f"{a.title}（{a.owner.name}）" if a.owner_id else a.title


def _screen_fields() -> dict[str, Any] | None:
    from .models import Achievement

    return listings.field_chart(Achievement, str(_("Published achievements")))


def register() -> None:
    registry.register_screen_chart(
        registry.ScreenChart(
            "achievements.by_field", _("Achievements by industry field"), _screen_fields, order=20
        )
    )
    registry.register_picker(
        registry.PickerKind(
            "achievements",
            visible=_pickable_achievements,
            label=_achievement_label,
            fields=("title",),
            fulltext="achievement",
            name_field="title",
        )
    )
    from . import services
    from .models import Achievement
    from .queries import visible_achievements

    published = Achievement.objects.filter(status=ReviewStatus.PUBLISHED)
    registry.register_nav("portal", _("Achievements"), "achievements:list", group="", order=10)
    registry.register_nav(
        "console",
        _("Achievements awaiting review"),
        "achievements_console:queue",
        group="console.review",
        order=10,
        visible=can_review,
    )
    registry.register_counter(
        "achievements.submitted",
        _("Achievements awaiting review"),
        lambda: Achievement.objects.filter(status=ReviewStatus.SUBMITTED).count(),
        visible=can_review,
        url_name="achievements_console:queue",
        order=10,
        attention=True,
    )
    registry.register_counter(
        "achievements.published",
        _("Published achievements"),
        published.count,
        visible=is_console_user,
        url_name="achievements:list",
        order=20,
        public=True,
    )
    registry.register_counter(
        "achievements.stale",
        _("Stale achievements (not updated for 12 months)"),
        lambda: published.filter(stale_since__isnull=False).count(),
        visible=is_console_user,
        order=40,
    )
    registry.register_home_block("achievements/partials/home_fields.html", order=10, context=_fields_block)
    registry.register_home_block(
        "core/portal/includes/newest.html",
        order=20,
        context=newest_block(
            visible_achievements,
            app="achievements",
            heading=_("Newest achievements"),
            all_label=_("All achievements"),
            empty=_("No achievements have been published yet."),
            # Described achievements lead; title-only patent records (no abstract) follow.
            lead=~Q(summary__startswith=TITLE_ONLY_PREFIX),
        ),
    )
    registry.register_mine_section(
        "core/portal/includes/mine_section.html",
        order=10,
        context=mine_section(
            Achievement, app="achievements", heading=_("Achievements"), new_label=_("Publish an achievement")
        ),
    )
    registry.register_daily_sweep(services.sweep_stale_achievements)
    registry.register_audit_labels(
        {
            **listings.review_audit_labels(Achievement),
            "achievements.achievement.attachment_added": _("File added"),
            "achievements.achievement.attachment_removed": _("File removed"),
            "achievements.achievement.nda_accepted": _("Accepted the non-disclosure terms"),
            **file_audit_labels(Achievement, with_attachment_codes=False),
        }
    )
    from .files import FILES

    registry.register_audit_labels(file_review_labels(FILES))
    registry.register_counter(
        "achievements.files_pending",
        _("Files of achievements awaiting review"),
        lambda: pending_count(FILES),
        visible=can_review,
        url_name="achievements_console:files",
        order=11,
        attention=True,
    )

    registry.register_panel(
        "achievement.detail",
        "core/portal/includes/listing_gallery.html",
        order=5,
        context=gallery_context(FILES),
    )
    registry.register_metric(
        registry.Metric(
            "achievements.published",
            _("Achievements published"),
            _("items"),
            _published_in,
            description=_(
                "Achievements published in the period (and still published), by the owner's location."
            ),
            order=30,
            by_organization=_published_by_owner,
            by_place=lambda period: _owner_place(_published(period)),
        )
    )
    registry.register_metric(
        registry.Metric(
            "achievements.refreshed",
            _("Achievements refreshed"),
            _("items"),
            _refreshed_in,
            description=_(
                "Published achievements listed before the period whose content was updated within it."
            ),
            order=31,
            by_organization=_refreshed_by_owner,
            by_place=lambda period: _owner_place(_refreshed(period)),
        )
    )


# ---- metrics (governance dashboards): dated by publication, placed by the owner organisation ----------


def _published(period: registry.Period):
    from .models import Achievement

    start, end = period.datetimes()
    return Achievement.objects.filter(
        status=ReviewStatus.PUBLISHED, published_at__gte=start, published_at__lt=end
    )


def _refreshed(period: registry.Period):
    from .models import Achievement

    start, end = period.datetimes()
    # ``updated_at`` moves with every content change, so it is never before ``content_updated_at``: the
    # redundant bound lets the database use its index instead of reading every achievement.
    return Achievement.objects.filter(
        status=ReviewStatus.PUBLISHED,
        created_at__lt=start,
        updated_at__gte=start,
        content_updated_at__gte=start,
        content_updated_at__lt=end,
    )


def _covers(period: registry.Period) -> bool:
    from django.db.models import Min

    from .models import Achievement

    first = Achievement.objects.filter(status=ReviewStatus.PUBLISHED).aggregate(m=Min("published_at"))["m"]
    return first is not None and first < period.datetimes()[1]


def _published_in(period: registry.Period, district: str | None = None, zone: Any = None) -> int | None:
    from techbridge.organizations.queries import located_in

    if not _covers(period):
        return None
    return _published(period).filter(located_in("owner__", district=district, zone=zone)).count()


def _refreshed_in(period: registry.Period, district: str | None = None, zone: Any = None) -> int | None:
    from techbridge.organizations.queries import located_in

    if not _covers(period):
        return None
    return _refreshed(period).filter(located_in("owner__", district=district, zone=zone)).count()


def _owner_place(qs) -> dict[tuple[str, int | None], int]:
    from techbridge.organizations.queries import by_place

    return by_place(qs, "owner__", Count("id"))


def _by_owner(qs) -> dict[int, int]:
    return dict(qs.order_by().values("owner_id").annotate(n=Count("id")).values_list("owner_id", "n"))


def _published_by_owner(period: registry.Period) -> dict[int, int]:
    return _by_owner(_published(period))


def _refreshed_by_owner(period: registry.Period) -> dict[int, int]:
    return _by_owner(_refreshed(period))
