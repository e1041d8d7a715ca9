"""Platform records a typical case can be written from (a slot other apps fill).

A source knows how to find records for the case writer's picker and what facts to copy from one::

    register_case_source(CaseSource("contract", _("Contract"), find=..., facts=...))

This app registers contracts and negotiation rooms (floors below it); ``events`` registers auction lots
(it sits above auctions, which this app may not import). ``find(user, q)`` returns up to ``LIMIT``
``(id, label)`` pairs the writer may use; ``facts(user, id)`` returns the facts to keep with the case, or
``None`` when the record does not exist or the writer may not use it. Facts are plain JSON:
``title``, ``date`` (ISO), ``parties`` (names), ``organization_ids``, ``amount`` (yuan, a string, or
``None``), ``amount_label``, ``kind_label``, ``field_ids``, ``district``, ``zone`` (a zone code or "").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LIMIT = 20

Facts = dict[str, Any]


@dataclass(frozen=True)
class CaseSource:
    code: str
    label: str | Promise
    find: Callable[[Any, str], list[tuple[int, str]]]
    facts: Callable[[Any, int], Facts | None]
    order: int = 100


_sources: dict[str, CaseSource] = {}


def register_case_source(source: CaseSource) -> CaseSource:
    """Keep ``source`` and offer its records to the shared picker as the kind ``case-<code>``."""
    from techbridge.core import registry

    _sources[source.code] = source
    if registry.picker(f"case-{source.code}") is None:
        registry.register_picker(
            registry.PickerKind(f"case-{source.code}", visible=_nothing, label=str, search=_searcher(source))
        )
    return source


def _nothing(user: Any) -> Any:
    from techbridge.contracts.models import Contract

    return Contract.objects.none()


def _searcher(source: CaseSource) -> Callable[[Any, str, int], list[tuple[int, str]]]:
    def search(user: Any, q: str, limit: int) -> list[tuple[int, str]]:
        from .permissions import can_write_cases

        if not can_write_cases(user):
            return []
        return source.find(user, q)[:limit]

    return search


def case_sources() -> list[CaseSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.code))


def case_source(code: str) -> CaseSource | None:
    return _sources.get(code)


# ---- the sources of this app's floors ----------------------------------------------------------------


def _zone_code(org: Any) -> str:
    return org.zone.code if org is not None and org.zone_id else ""


def find_contracts(user: Any, q: str) -> list[tuple[int, str]]:
    from techbridge.contracts.queries import visible_to_registry

    qs = visible_to_registry(user).order_by("-registered_at", "-pk")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(seller__name__icontains=q))
    return [(c.pk, f"{c.number} · {c.title}") for c in qs[:LIMIT]]


def contract_facts(user: Any, pk: int) -> Facts | None:
    from techbridge.contracts.choices import ContractStatus
    from techbridge.contracts.queries import visible_to_registry

    c = visible_to_registry(user).select_related("seller__zone", "buyer__zone").filter(pk=pk).first()
    if c is None:
        return None
    registered = c.status == ContractStatus.REGISTERED
    amount = c.technology_amount if registered and c.technology_amount is not None else c.total_amount
    when = c.registered_at or c.signed_at or c.created_at
    return {
        "title": c.title,
        "date": when.date().isoformat() if when else "",
        # Either party may be a natural person or an organisation abroad (no platform organisation).
        "parties": [c.seller.name if c.seller else c.seller_name, c.buyer.name if c.buyer else c.buyer_name],
        "organization_ids": [i for i in (c.seller_id, c.buyer_id) if i],
        "amount": str(amount) if amount is not None else None,
        "amount_label": _("Technology transaction amount") if registered else _("Contract amount"),
        "kind_label": str(c.get_contract_type_display()),
        "status_label": str(c.get_status_display()),
        "field_ids": [c.field_id] if c.field_id else [],
        # A natural person seller is placed by the district declared on the contract.
        "district": c.seller.district
        if c.seller and c.seller_party_kind == "organization"
        else c.seller_district,
        "zone": _zone_code(c.seller) if c.seller and c.seller_party_kind == "organization" else "",
        "reference": c.number,
    }


def _rooms(user: Any) -> Any:
    """Rooms a case writer may use: those that ended in a contract (the only ones worth a case)."""
    from techbridge.core.roles import is_staff_reviewer
    from techbridge.deals.models import Room

    if not is_staff_reviewer(user):
        return Room.objects.none()
    return Room.objects.filter(offers__contract__isnull=False).distinct()


def find_rooms(user: Any, q: str) -> list[tuple[int, str]]:
    qs = _rooms(user).order_by("-updated_at", "-pk")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(seller__name__icontains=q) | Q(buyer__name__icontains=q))
    return [(r.pk, f"#{r.pk} · {r.title}") for r in qs[:LIMIT]]


def room_facts(user: Any, pk: int) -> Facts | None:
    room = _rooms(user).select_related("seller__zone", "buyer", "achievement").filter(pk=pk).first()
    if room is None:
        return None
    offer = room.offers.filter(contract__isnull=False).select_related("contract").order_by("-pk").first()
    contract = offer.contract if offer else None
    fields = list(room.achievement.fields.values_list("pk", flat=True)) if room.achievement_id else []
    return {
        "title": room.title,
        "date": (contract.created_at if contract else room.updated_at).date().isoformat(),
        "parties": [room.seller.name, room.buyer.name],
        "organization_ids": [room.seller_id, room.buyer_id],
        "amount": str(contract.total_amount) if contract else None,
        "amount_label": _("Agreed price"),
        "kind_label": _("Negotiation on the platform"),
        "status_label": str(room.get_status_display()),
        "field_ids": fields,
        "district": room.seller.district,
        "zone": _zone_code(room.seller),
        "reference": f"#{room.pk}",
    }


def register_own_sources() -> None:
    register_case_source(
        CaseSource("contract", gettext_lazy("Technology contract"), find_contracts, contract_facts, order=10)
    )
    register_case_source(
        CaseSource(
            "room", gettext_lazy("Negotiation that ended in a contract"), find_rooms, room_facts, order=20
        )
    )
