"""What follows add to the shared pages: the follow button on achievements, demands, institutions and
events, "save this search" under the achievement and demand results, "what I follow" and the
notification settings in the menu and in my work, the daily digest sweep, and the audit words."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in

from .choices import FollowKind

AUDIT_LABELS = {
    "subscriptions.follow.created": _("Followed"),
    "subscriptions.follow.removed": _("No longer followed"),
    "subscriptions.savedsearch.created": _("Search saved"),
    "subscriptions.savedsearch.updated": _("Saved search changed"),
    "subscriptions.savedsearch.deleted": _("Saved search deleted"),
    "core.notificationpreference.updated": _("Notification preferences changed"),
}


def _button(kind: str) -> Any:
    def context(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
        from .queries import is_following

        if obj is None or getattr(obj, "pk", None) is None:
            return None
        if kind in (FollowKind.ACHIEVEMENT, FollowKind.DEMAND) and getattr(obj, "status", "") != "published":
            return None
        return {
            "follow_kind": kind,
            "follow_pk": obj.pk,
            "following": is_following(request.user, kind, obj.pk),
        }

    return context


def _mine(request: HttpRequest) -> dict[str, Any] | None:
    from .queries import followed

    items = followed(request.user, limit=8)
    return {"follows": items} if items else None


def _save_search(request: HttpRequest, listing_app: Any) -> dict[str, Any] | None:
    """The “save this search” box under the results of the achievement and demand lists."""
    from .choices import Frequency, SearchKind

    kind = getattr(listing_app, "kind", "")
    if kind not in SearchKind.values:
        return None
    query = request.GET.copy()
    for name in ("page", "sort"):
        query.pop(name, None)
    return {"search_kind": kind, "search_query": query.urlencode()[:2000], "frequencies": Frequency.choices}


def _send_digests() -> int:
    from .digests import send_digests

    return send_digests()


def register() -> None:
    registry.register_nav(
        "portal", _("What I follow"), "subscriptions:follows", group="work", order=60, visible=signed_in
    )
    for slot, kind in (
        ("achievement.detail", FollowKind.ACHIEVEMENT),
        ("demand.detail", FollowKind.DEMAND),
        ("institution.detail", FollowKind.INSTITUTION),
        ("event.detail", FollowKind.EVENT),
    ):
        registry.register_panel(slot, "subscriptions/partials/panel.html", order=5, context=_button(kind))
    registry.register_panel(
        "listing.results", "subscriptions/partials/save_search.html", context=_save_search
    )
    registry.register_nav(
        "portal",
        _("Notification settings"),
        "subscriptions:preferences",
        group="work",
        order=61,
        visible=signed_in,
    )
    registry.register_daily_sweep(_send_digests)
    registry.register_mine_section("subscriptions/partials/mine.html", order=70, context=_mine)
    registry.register_audit_labels(AUDIT_LABELS)
