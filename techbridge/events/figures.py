"""What an event started, counted from the platform's records (never typed in).

- **Attendance**: confirmed seats, people on the waitlist, people checked in at the door (and by the
  district and zone of their organisations).
- **Negotiations started**: rooms opened on the achievements or demands the event presented, from the
  event's start to ``FOLLOW_UP_DAYS`` after its end, with an organisation of someone who came to the
  event on either side; and rooms opened after the event's lots missed their reserve.
- **Contracts**: contracts drafted from those rooms' accepted offers, and from the event's lots sold.
- **Bids**: bids on the event's lots (linked, or in its auction session) inside the same window, the
  bidders, the lots sold and their hammer prices.

The rule is shown on the figures page, so a reader knows what "started by the event" means here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from techbridge.auctions.choices import LotStatus
from techbridge.auctions.models import Bid, Lot
from techbridge.contracts.choices import ContractStatus
from techbridge.contracts.models import Contract
from techbridge.deals.models import Offer, Room
from techbridge.organizations.choices import District
from techbridge.organizations.models import Zone

from .choices import RegistrationStatus
from .models import Event

FOLLOW_UP_DAYS = 30


def window(event: Event) -> tuple[dt.datetime, dt.datetime]:
    return event.starts_at, event.ends_at + dt.timedelta(days=FOLLOW_UP_DAYS)


def event_lots(event: Event) -> list[int]:
    q = Q(pk__in=event.lots.values("pk"))
    if event.auction_session_id:
        q |= Q(session_id=event.auction_session_id)
    return list(Lot.objects.filter(q).values_list("pk", flat=True))


def attendance(event: Event) -> dict[str, Any]:
    regs = event.registrations.all()
    counts = regs.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    came = regs.filter(checked_in_at__isnull=False)
    names = dict(District.choices)
    by_district = [
        {"label": str(names.get(d, "—")) if d else "—", "n": n}
        for d, n in came.values_list("organization__district").annotate(n=Count("pk")).order_by("-n")
    ]
    zones = {z.pk: z for z in Zone.objects.all()}
    by_zone = [
        {"label": zones[z].name if z in zones else "—", "n": n}
        for z, n in came.values_list("organization__zone_id").annotate(n=Count("pk")).order_by("-n")
    ]
    rate = None
    if counts["confirmed"]:
        rate = (Decimal(counts["checked_in"]) * 100 / counts["confirmed"]).quantize(Decimal("0.1"))
    return {**counts, "rate": rate, "by_district": by_district, "by_zone": by_zone}


def started(event: Event) -> dict[str, Any]:
    """Rooms, contracts and bids the event started (see the module docstring for the rule)."""
    lo, hi = window(event)
    orgs = set(
        event.registrations.filter(checked_in_at__isnull=False, organization__isnull=False).values_list(
            "organization_id", flat=True
        )
    )
    lot_ids = event_lots(event)
    listing_rooms = Room.objects.filter(created_at__gte=lo, created_at__lte=hi).filter(
        Q(achievement__in=event.achievements.values("pk")) | Q(demand__in=event.demands.values("pk"))
    )
    listing_rooms = (
        listing_rooms.filter(Q(seller_id__in=orgs) | Q(buyer_id__in=orgs)) if orgs else listing_rooms.none()
    )
    lot_room_ids = [
        r for r in Lot.objects.filter(pk__in=lot_ids, room_id__isnull=False).values_list("room_id", flat=True)
    ]
    rooms = Room.objects.filter(Q(pk__in=listing_rooms.values("pk")) | Q(pk__in=lot_room_ids))
    room_ids = list(rooms.values_list("pk", flat=True))
    contract_ids = set(
        Offer.objects.filter(room_id__in=room_ids, contract__isnull=False).values_list(
            "contract_id", flat=True
        )
    )
    contract_ids |= {
        pk
        for pk in Lot.objects.filter(
            pk__in=lot_ids, contract_id__isnull=False, closed_at__lte=hi
        ).values_list("contract_id", flat=True)
        if pk is not None
    }
    contracts = Contract.objects.filter(pk__in=contract_ids)
    c = contracts.aggregate(
        n=Count("pk"),
        amount=Sum("total_amount"),
        registered=Count("pk", filter=Q(status=ContractStatus.REGISTERED)),
        technology=Sum("technology_amount", filter=Q(status=ContractStatus.REGISTERED)),
    )
    bids = Bid.objects.filter(lot_id__in=lot_ids, created_at__gte=lo, created_at__lte=hi)
    b = bids.aggregate(n=Count("pk"), bidders=Count("registration", distinct=True))
    sold = Lot.objects.filter(pk__in=lot_ids, status=LotStatus.SOLD, closed_at__gte=lo, closed_at__lte=hi)
    s = sold.aggregate(n=Count("pk"), hammer=Sum("hammer_price"))
    return {
        "window": (lo, hi),
        "attendee_organizations": len(orgs),
        "rooms": len(room_ids),
        "rooms_from_listings": listing_rooms.count(),
        "rooms_from_lots": len(lot_room_ids),
        "contracts": c["n"],
        "contract_amount": c["amount"] or Decimal("0"),
        "contracts_registered": c["registered"],
        "technology_amount": c["technology"] or Decimal("0"),
        "bids": b["n"],
        "bidders": b["bidders"],
        "lots": len(lot_ids),
        "lots_sold": s["n"],
        "hammer_total": s["hammer"] or Decimal("0"),
    }


def figures(event: Event) -> dict[str, Any]:
    return {"attendance": attendance(event), "started": started(event), "follow_up_days": FOLLOW_UP_DAYS}
