"""Negotiation buttons on listing pages and match results, menu entries, the disputes queue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in


def _pickable_brokers(user: Any) -> Any:
    from techbridge.accounts.models import User

    from .forms import broker_choices

    return broker_choices() if signed_in(user) else User.objects.none()


def _broker_label(u: Any) -> str:
    return f"{u.display_name} · {u.organization.name}"


def refuse_erasure_with_open_rooms(*, user: Any) -> Any:
    """Veto ``accounts.erase``: the only admin of an organisation still negotiating cannot leave it
    without an admin."""
    from django.db.models import Q

    from techbridge.accounts.erasure import sole_admin_of

    from .choices import RoomStatus
    from .models import Room

    org = sole_admin_of(user)
    if org is None:
        return None
    open_rooms = Room.objects.filter(
        Q(seller=org) | Q(buyer=org), status__in=[RoomStatus.OPEN, RoomStatus.AGREED]
    )
    if open_rooms.exists():
        return _(
            "You are the only admin of %(org)s, which still has open negotiations. Make another member an "
            "admin of the organisation first (or close the negotiations), then ask again."
        ) % {"org": org.name}
    return None


def register() -> None:
    registry.register_veto("accounts.erase", refuse_erasure_with_open_rooms)
    from .permissions import can_resolve

    registry.register_picker(
        registry.PickerKind(
            "brokers",
            visible=_pickable_brokers,
            label=_broker_label,
            fields=("real_name", "organization__name"),
            prefix_fields=("username",),
            name_field="username",
            order_by=("organization__name", "real_name", "username"),
        )
    )

    registry.register_nav(
        "portal", _("Negotiations"), "deals:list", group="work", order=10, visible=signed_in
    )
    registry.register_nav(
        "console",
        _("Negotiation disputes"),
        "deals_console:disputes",
        group="console.market",
        order=10,
        visible=can_resolve,
    )
    registry.register_panel("achievement.detail", "deals/partials/achievement_actions.html", order=10)
    registry.register_panel("demand.detail", "deals/partials/demand_actions.html", order=10)
    registry.register_panel("match.result", "deals/partials/match_action.html", order=10)
    registry.register_audit_labels(
        {
            "deals.room.opened": _("Negotiation opened"),
            "deals.room.nda_accepted": _("Accepted the non-disclosure terms"),
            "deals.room.broker_invited": _("Broker invited"),
            "deals.room.dispute_raised": _("Dispute raised"),
            # Written before disputes had their own state machine; kept for the history of old rooms.
            "deals.room.dispute_resolved": _("Dispute resolved"),
            "deals.room.agreed": _("Agreed"),
            "deals.room.reopened": _("Negotiation reopened"),
            "deals.room.closed": _("Negotiation closed"),
            "deals.offer.made": _("Offer made"),
            "deals.offer.superseded": _("Replaced by a newer offer"),
            "deals.offer.accepted": _("Offer accepted"),
            "deals.offer.declined": _("Offer declined"),
            "deals.offer.withdrawn": _("Offer withdrawn"),
            "deals.dispute.resolved": _("Dispute resolved"),
        }
    )
    registry.register_metric(
        registry.Metric(
            "deals.rooms_opened",
            _("Negotiation rooms opened"),
            _("rooms"),
            _rooms_opened,
            description=_("Negotiation rooms opened in the period, by the seller's location."),
            order=40,
            by_organization=_rooms_by_seller,
            by_place=_rooms_by_place,
        )
    )
    registry.register_metric(
        registry.Metric(
            "deals.demands_answered",
            _("Demands answered"),
            _("demands"),
            _demands_answered,
            description=_(
                "Demands on which a seller opened negotiations in the period (each demand counted once "
                "per seller)."
            ),
            order=41,
            by_organization=_answered_by_seller,
            by_place=_answered_by_place,
        )
    )


# ---- metrics (governance dashboards): dated by opening, placed by the seller (technology side) -------


def _opened(period: registry.Period):
    from .models import Room

    start, end = period.datetimes()
    return Room.objects.filter(created_at__gte=start, created_at__lt=end)


def _covers(period: registry.Period) -> bool:
    from django.db.models import Min

    from .models import Room

    first = Room.objects.aggregate(m=Min("created_at"))["m"]
    return first is not None and first < period.datetimes()[1]


def _rooms_opened(period: registry.Period, district: str | None = None, zone: Any = None) -> int | None:
    from techbridge.organizations.queries import located_in

    if not _covers(period):
        return None
    return _opened(period).filter(located_in("seller__", district=district, zone=zone)).count()


def _demands_answered(period: registry.Period, district: str | None = None, zone: Any = None) -> int | None:
    from techbridge.organizations.queries import located_in

    if not _covers(period):
        return None
    pairs = (
        _opened(period)
        .filter(located_in("seller__", district=district, zone=zone), demand__isnull=False)
        .values("seller_id", "demand_id")
        .distinct()
    )
    return pairs.count()


def _rooms_by_seller(period: registry.Period) -> dict[int, int]:
    from django.db.models import Count

    rows = _opened(period).order_by().values("seller_id").annotate(n=Count("id"))
    return {r["seller_id"]: r["n"] for r in rows}


def _answered_by_seller(period: registry.Period) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        _opened(period)
        .filter(demand__isnull=False)
        .order_by()
        .values("seller_id")
        .annotate(n=Count("demand_id", distinct=True))
    )
    return {r["seller_id"]: r["n"] for r in rows}


def _rooms_by_place(period: registry.Period) -> dict[tuple[str, int | None], int]:
    from django.db.models import Count

    from techbridge.organizations.queries import by_place

    return by_place(_opened(period), "seller__", Count("id"))


def _answered_by_place(period: registry.Period) -> dict[tuple[str, int | None], int]:
    """Demands answered per seller (distinct), summed by the seller's place (additive across sellers)."""
    from collections import Counter

    from django.db.models import Count

    rows = (
        _opened(period)
        .filter(demand__isnull=False)
        .order_by()
        .values("seller_id", "seller__district", "seller__zone_id")
        .annotate(n=Count("demand_id", distinct=True))
    )
    out: Counter = Counter()
    for r in rows:
        out[(r["seller__district"], r["seller__zone_id"])] += r["n"]
    return dict(out)
