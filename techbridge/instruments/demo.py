"""Demo data of instruments and platforms, all marked as demo (``is_demo``, source ``demo``, “示例” names).

* ``data/demo/sample_instruments.jsonl``: 20 instruments and pilot lines written by the platform team in
  the columns owners' registers use, imported through ``InstrumentImporter`` (demo owners are created
  as demo organisations, like the demo catalogue's).
* ``data/demo/sample_platforms.json``: three service platforms with their offers.
* A demo voucher programme, and approved demo vouchers for a few demo enterprises.
* Usage history: bookings the loader itself creates for demo enterprises over the past six months,
  each completed with its recorded hours (marked demo, with the note “示例数据”). Nothing here is a real
  figure; every utilisation number in the demo comes from these bookings. The history carries no fee
  statements (they are issued by the live flow).
* When the demo accounts exist, a booking request and a service request of the demo enterprise show the
  live flow.

Idempotent: a second run finds everything in place and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.core.roles import Role
from techbridge.core.workflow import Source
from techbridge.imports.demo import default_data_dir, ensure_vocabularies
from techbridge.imports.readers import read_rows
from techbridge.organizations.choices import OrgKind
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import fees, slots
from .choices import (
    Audience,
    BookingStatus,
    InstrumentStatus,
    ProgrammeStatus,
    UsageMethod,
    UsageStatus,
    VoucherStatus,
)
from .importing import InstrumentImporter
from .models import (
    Booking,
    Instrument,
    ServiceOffer,
    ServicePlatform,
    Slot,
    UsageRecord,
    Voucher,
    VoucherProgramme,
)
from .services.usage import add_to_month

INSTRUMENTS_FILE = Path("demo") / "sample_instruments.jsonl"
PLATFORMS_FILE = Path("demo") / "sample_platforms.json"
PROGRAMME_NAME = "示例·科技创新券"
DEMO_NOTE = "示例数据：演示用的使用记录，不是真实统计。"
HISTORY_MONTHS = 6
SEED = 2026


@dataclass
class DemoResult:
    instruments: dict[str, int] = field(default_factory=dict)
    platforms: int = 0
    offers: int = 0
    vouchers: int = 0
    bookings: int = 0
    hours: Decimal = Decimal("0")


def load(data_dir: Path | None = None, *, today: dt.date | None = None) -> DemoResult:
    data_dir = Path(data_dir or default_data_dir())
    today = today or timezone.localdate()
    result = DemoResult()
    ensure_vocabularies()
    importer = InstrumentImporter(source=Source.DEMO, publish=True, file_name=str(INSTRUMENTS_FILE))
    report = importer.run(read_rows(data_dir / INSTRUMENTS_FILE))
    result.instruments = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "refused": len(report.refused),
    }
    with transaction.atomic():
        _managers()
        result.platforms, result.offers = _platforms(data_dir / PLATFORMS_FILE)
        programme = _programme(today)
        result.vouchers = _vouchers(programme)
        result.bookings, result.hours = _history(today)
        _live(today)
    return result


def _demo_instruments() -> dict[str, Instrument]:
    return {
        i.external_id: i
        for i in Instrument.objects.filter(source=Source.DEMO, is_demo=True).select_related("owner")
    }


def _managers() -> None:
    """The demo researcher account looks after its group's instruments (so the demo can be walked)."""
    researcher = User.objects.filter(username="researcher", is_active=True).first()
    if researcher is None or researcher.organization_id is None:
        return
    Instrument.objects.filter(is_demo=True, owner_id=researcher.organization_id, manager__isnull=True).update(
        manager=researcher
    )


def _platforms(path: Path) -> tuple[int, int]:
    specs = json.loads(path.read_text(encoding="utf-8"))
    instruments = _demo_instruments()
    created_platforms = created_offers = 0
    for spec in specs:
        host = Organization.objects.filter(name=spec["host"]).first()
        if host is None:
            continue  # the host comes with the instruments file; a partial load skips the platform
        platform, created = ServicePlatform.objects.get_or_create(
            name=spec["name"],
            defaults={
                "industry": IndustryField.objects.get(code=spec["industry"]),
                "host": host,
                "description": spec["description"],
                "designated_on": dt.date.fromisoformat(spec["designated_on"]),
                "designation_ref": spec["designation_ref"],
                "is_demo": True,
            },
        )
        created_platforms += created
        for ref in spec.get("resources", []):
            resource = instruments.get(ref)
            if resource is not None and resource.owner_id == host.pk and resource.platform_id is None:
                Instrument.objects.filter(pk=resource.pk).update(platform=platform)
        for o in spec["offers"]:
            resource = instruments.get(o["resource"]) if o.get("resource") else None
            _offer, made = ServiceOffer.objects.get_or_create(
                platform=platform,
                title=o["title"],
                defaults={
                    "kind": o["kind"],
                    "description": o["description"],
                    "deliverables": o.get("deliverables", ""),
                    "lead_time_days": o["lead_time_days"],
                    "price_from": Decimal(o["price_from"]) if o.get("price_from") else None,
                    "resource": resource if resource and resource.owner_id == host.pk else None,
                    "is_demo": True,
                },
            )
            created_offers += made
    return created_platforms, created_offers


def _programme(today: dt.date) -> VoucherProgramme:
    programme, _created = VoucherProgramme.objects.get_or_create(
        name=PROGRAMME_NAME,
        year=today.year,
        defaults={
            "issuer": "示例发放单位",
            "basis": "演示数据：示例创新券方案，额度与比例仅用于演示，不是真实政策。",
            "budget": Decimal("5000000"),
            "share": Decimal("0.5"),
            "cap_per_enterprise": Decimal("100000"),
            "eligible_kinds": [OrgKind.ENTERPRISE],
            "nanjing_only": True,
            "applications_open": dt.date(today.year, 1, 1),
            "applications_close": dt.date(today.year, 11, 30),
            "valid_until": dt.date(today.year, 12, 31),
            "status": ProgrammeStatus.OPEN,
            "is_demo": True,
        },
    )
    return programme


def _demo_enterprises(limit: int = 8) -> list[Organization]:
    return list(
        Organization.objects.filter(is_demo=True, kind=OrgKind.ENTERPRISE, name__startswith="示例·南京某")
        .exclude(name__contains="中试基地")
        .order_by("name")[:limit]
    )


def _booker(org: Organization) -> User:
    """A user of ``org`` for its demo bookings: its admin or a member, else a demo user who cannot sign in."""
    user = User.objects.filter(organization=org, is_active=True).order_by("-role", "pk").first()
    if user is not None:
        return user
    user = User(
        username=f"demo-booker-{org.pk}",
        organization=org,
        role=Role.MEMBER,
        real_name="示例用户",
    )
    user.set_unusable_password()
    user.save()
    return user


def _vouchers(programme: VoucherProgramme) -> int:
    made = 0
    for org in _demo_enterprises(limit=3):
        if Voucher.objects.filter(programme=programme, enterprise=org).exists():
            continue
        quota = Decimal("50000")
        if programme.allocated + quota > programme.budget:
            break
        voucher = Voucher.objects.create(
            programme=programme,
            enterprise=org,
            applied_by=_booker(org),
            purpose="演示数据：委托高校与平台开展检测和中试。",
            requested_amount=quota,
            quota=quota,
            status=VoucherStatus.APPROVED,
            decided_at=timezone.now(),
            is_demo=True,
        )
        Voucher.objects.filter(pk=voucher.pk).update(number=f"CXQ{programme.year}{voucher.pk:06d}")
        VoucherProgramme.objects.filter(pk=programme.pk).update(allocated=programme.allocated + quota)
        programme.refresh_from_db()
        made += 1
    return made


def _history(today: dt.date) -> tuple[int, Decimal]:
    """Completed demo bookings with recorded hours over the past months (once: skipped when present)."""
    if Booking.objects.filter(is_demo=True).exists():
        return 0, Decimal("0")
    rng = random.Random(SEED)
    enterprises = _demo_enterprises()
    if not enterprises:
        return 0, Decimal("0")
    bookers = {org.pk: _booker(org) for org in enterprises}
    count, total = 0, Decimal("0")
    now = timezone.now()
    for instrument in sorted(_demo_instruments().values(), key=lambda i: i.external_id):
        if instrument.status != InstrumentStatus.ACTIVE:
            continue
        owner_booker = _booker(instrument.owner)
        rates = list(instrument.rates.all())
        for months_ago in range(HISTORY_MONTHS, 0, -1):
            first = _month_start(today, months_ago)
            for _n in range(rng.randint(1, 4)):
                start = _random_start(instrument, first, rng)
                if start is None or start >= now:
                    continue
                units = 1 if instrument.slot_minutes >= slots.DAY else rng.randint(1, 3)
                end = start + dt.timedelta(minutes=instrument.slot_minutes * units)
                if not all(
                    slots.is_open(t, instrument.slot_minutes, instrument.hours)
                    for t in slots.units(start, end, instrument.slot_minutes)
                ):
                    continue
                if Slot.objects.filter(
                    instrument=instrument, starts_at__gte=start, starts_at__lt=end
                ).exists():
                    continue
                external = rng.random() < 0.6
                org = rng.choice(enterprises) if external else instrument.owner
                user = bookers[org.pk] if external else owner_booker
                audience = Audience.EXTERNAL if external else Audience.INTERNAL
                booked = Decimal(instrument.slot_minutes * units) / 60
                hours = (booked * Decimal(rng.choice(["0.6", "0.8", "0.9", "1.0"]))).quantize(Decimal("0.01"))
                samples = rng.randint(0, 6)
                fee, detail = fees.compute_fee(rates, audience=audience, hours=hours, samples=samples)
                booking = Booking.objects.create(
                    instrument=instrument,
                    requester=user,
                    organization=org,
                    audience=audience,
                    starts_at=start,
                    ends_at=end,
                    units=units,
                    purpose="演示数据：示例预约。",
                    sample_count=samples,
                    status=BookingStatus.COMPLETED,
                    decided_at=start - dt.timedelta(days=2),
                    is_demo=True,
                    created_at=start - dt.timedelta(days=3),
                )
                Slot.objects.bulk_create(
                    [
                        Slot(instrument=instrument, starts_at=t, booking=booking)
                        for t in slots.units(start, end, instrument.slot_minutes)
                    ]
                )
                usage = UsageRecord.objects.create(
                    instrument=instrument,
                    booking=booking,
                    organization=org,
                    user=user,
                    audience=audience,
                    started_at=start,
                    ended_at=start + dt.timedelta(hours=float(hours)),
                    hours=hours,
                    samples=samples,
                    fee=fee,
                    fee_detail=detail,
                    method=UsageMethod.ENTERED,
                    status=UsageStatus.RECORDED,
                    recorded_at=end,
                    note=DEMO_NOTE,
                    is_demo=True,
                )
                add_to_month(usage)
                count += 1
                total += hours
    return count, total


def _live(today: dt.date) -> None:
    """A booking request and a service request of the demo enterprise account (once)."""
    from .services import booking as booking_services
    from .services import platforms as platform_services

    user = User.objects.filter(username="enterprise", is_active=True).select_related("organization").first()
    if user is None or user.organization is None or not user.organization.is_approved:
        return
    instruments = _demo_instruments()
    probe = instruments.get("demo-inst-010")
    if probe is not None and not Booking.objects.filter(requester=user, instrument=probe).exists():
        day = today + dt.timedelta(days=3)
        while day.isoweekday() > 5:
            day += dt.timedelta(days=1)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        try:
            booking = booking_services.request_booking(
                actor=user,
                instrument=probe,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                purpose="演示数据：测试 28nm 工艺 SerDes 测试芯片的 I-V 特性。",
                sample_count=2,
            )
        except Exception:  # the unit is taken or closed: the demo goes on without it
            booking = None
        if booking is not None:
            Booking.objects.filter(pk=booking.pk).update(is_demo=True)
    offer = ServiceOffer.objects.filter(is_demo=True, title="电磁兼容摸底测试").first()
    if offer is not None and not offer.orders.filter(requester=user).exists():
        order = platform_services.request_service(
            actor=user, offer=offer, need="演示数据：交换芯片评估板的辐射发射摸底测试，准备 CE 认证。"
        )
        order.__class__.objects.filter(pk=order.pk).update(is_demo=True)


def _month_start(today: dt.date, months_ago: int) -> dt.date:
    y, m = today.year, today.month - months_ago
    while m <= 0:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1)


def _random_start(instrument: Instrument, first: dt.date, rng: random.Random) -> dt.datetime | None:
    rows = slots.rows_of_day(instrument.slot_minutes, instrument.hours)
    open_days = [d for d in range(28) if (first + dt.timedelta(days=d)).isoweekday() in instrument.hours.days]
    if not rows or not open_days:
        return None
    day = first + dt.timedelta(days=rng.choice(open_days))
    return timezone.make_aware(dt.datetime.combine(day, rng.choice(rows)))


def summary(result: DemoResult) -> list[tuple[str, Any]]:
    return [
        ("instruments", result.instruments),
        ("platforms", result.platforms),
        ("offers", result.offers),
        ("vouchers", result.vouchers),
        ("bookings", result.bookings),
        ("hours", result.hours),
    ]
