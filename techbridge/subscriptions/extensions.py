"""What follows add to the shared pages: the follow button on achievements, demands, institutions and
events, "what I follow" in the menu and in my work, and the audit words."""

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
    registry.register_mine_section("subscriptions/partials/mine.html", order=70, context=_mine)
    registry.register_audit_labels(AUDIT_LABELS)
