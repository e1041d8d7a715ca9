"""Auction lots as the source of a typical case (``carriers.case_sources``): this app sits above auctions,
the carriers app does not, so the lot source is registered from here."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from techbridge.auctions.choices import LotStatus
from techbridge.auctions.queries import visible_lots
from techbridge.carriers.case_sources import LIMIT, Facts
from techbridge.core.roles import is_staff_reviewer


def _lots(user: Any) -> Any:
    if not is_staff_reviewer(user):
        return visible_lots(user).none()
    return visible_lots(user).filter(status=LotStatus.SOLD)


def find_lots(user: Any, q: str) -> list[tuple[int, str]]:
    qs = _lots(user).order_by("-closed_at", "-pk")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(seller__name__icontains=q))
    return [(lot.pk, f"#{lot.pk} · {lot.title}") for lot in qs[:LIMIT]]


def lot_facts(user: Any, pk: int) -> Facts | None:
    lot = (
        _lots(user)
        .select_related("seller__zone", "winner__organization", "achievement")
        .filter(pk=pk)
        .first()
    )
    if lot is None:
        return None
    buyer = lot.winner.organization if lot.winner is not None else None
    fields = list(lot.achievement.fields.values_list("pk", flat=True)) if lot.achievement_id else []
    return {
        "title": lot.title,
        "date": lot.closed_at.date().isoformat() if lot.closed_at else "",
        "parties": [n for n in (lot.seller.name, buyer.name if buyer else "") if n],
        "organization_ids": [pk for pk in (lot.seller_id, buyer.pk if buyer else None) if pk],
        "amount": str(lot.hammer_price) if lot.hammer_price is not None else None,
        "amount_label": _("Hammer price"),
        "kind_label": _("Auction"),
        "status_label": str(lot.get_status_display()),
        "field_ids": fields,
        "district": lot.seller.district,
        "zone": lot.seller.zone.code if lot.seller.zone_id else "",
        "reference": f"#{lot.pk}",
    }
