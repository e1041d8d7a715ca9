"""Factories of shared instruments, voucher programmes and service platforms (tests only).

Records are put in place directly (set-up, not the flows under test); the flows go through
``techbridge.instruments.services`` in the tests themselves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from techbridge.instruments.choices import Audience, FeeUnit, ProgrammeStatus, VoucherStatus
from techbridge.instruments.models import (
    FeeRate,
    Instrument,
    ServiceOffer,
    ServicePlatform,
    Voucher,
    VoucherProgramme,
)
from techbridge.taxonomy.models import IndustryField


class InstrumentFactory(factory.django.DjangoModelFactory):
    """An active instrument open Monday–Friday 08:30–17:30 in one-hour units; pass ``owner``."""

    class Meta:
        model = Instrument

    name = factory.Sequence(lambda n: f"激光导热仪{n}")
    model_number = "LFA 467"
    maker = "耐驰"
    category = "physical"
    lab = "材料分析测试中心"
    location = "南京市鼓楼区示例路 1 号"
    purchase_value = Decimal("1200000")
    purchase_year = 2019
    publicly_funded = True
    description = "测量陶瓷、金属和复合材料的热扩散系数与导热系数，温度范围室温至 1100℃。"
    specs = "热扩散系数测量范围 0.01–2000 mm²/s；重复性 ±2%。"
    sample_requirements = "圆片样品，直径 12.7 mm，厚度 1–3 mm。"


def with_rates(
    instrument: Instrument, internal: str = "200", external: str = "400", sample: str = ""
) -> Instrument:
    """Give an instrument an hourly fee schedule (and a per-sample price for outside users)."""
    FeeRate.objects.create(
        instrument=instrument, audience=Audience.INTERNAL, unit=FeeUnit.HOUR, price=Decimal(internal)
    )
    FeeRate.objects.create(
        instrument=instrument, audience=Audience.EXTERNAL, unit=FeeUnit.HOUR, price=Decimal(external)
    )
    if sample:
        FeeRate.objects.create(
            instrument=instrument, audience=Audience.EXTERNAL, unit=FeeUnit.SAMPLE, price=Decimal(sample)
        )
    return instrument


def future_slot(days: int = 3, hour: int = 9, minutes: int = 60) -> tuple[dt.datetime, dt.datetime]:
    """An aligned unit on the first weekday at least ``days`` days ahead, at ``hour`` local time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    return start, start + dt.timedelta(minutes=minutes)


def make_programme(*, created_by: Any = None, **extra: Any) -> VoucherProgramme:
    """An open programme of this year: 1,000,000 yuan, pays half of each bill, 50,000 per enterprise."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "科技创新券",
        "year": today.year,
        "issuer": "南京市科学技术局",
        "budget": Decimal("1000000"),
        "share": Decimal("0.5"),
        "cap_per_enterprise": Decimal("50000"),
        "eligible_kinds": ["enterprise"],
        "nanjing_only": True,
        "uses": "all",
        "applications_open": today - dt.timedelta(days=30),
        "applications_close": today + dt.timedelta(days=60),
        "valid_until": today + dt.timedelta(days=180),
        "status": ProgrammeStatus.OPEN,
        "created_by": created_by,
    }
    values.update(extra)
    return VoucherProgramme.objects.create(**values)


def approved_voucher(
    programme: VoucherProgramme, enterprise: Any, applied_by: Any, quota: str = "10000"
) -> Voucher:
    """An approved voucher (set-up only; the allocation is added to the programme as approval would)."""
    voucher = Voucher.objects.create(
        programme=programme,
        enterprise=enterprise,
        applied_by=applied_by,
        purpose="委托检测新材料热物性",
        requested_amount=Decimal(quota),
        quota=Decimal(quota),
        status=VoucherStatus.APPROVED,
    )
    voucher.number = f"CXQ{programme.year}{voucher.pk:06d}"
    voucher.save(update_fields=["number"])
    VoucherProgramme.objects.filter(pk=programme.pk).update(allocated=programme.allocated + Decimal(quota))
    programme.refresh_from_db()
    return voucher


def make_platform(host: Any, *, manager: Any = None, **extra: Any) -> ServicePlatform:
    industry = IndustryField.objects.get(code=extra.pop("industry", "materials"))
    values: dict[str, Any] = {
        "name": "南京新材料公共技术服务平台",
        "industry": industry,
        "host": host,
        "manager": manager,
        "description": "面向新材料企业提供研发设计、检验检测、标准研制和中试熟化服务。",
        "designated_on": timezone.localdate() - dt.timedelta(days=400),
        "designation_ref": "宁科〔2024〕12号",
    }
    values.update(extra)
    return ServicePlatform.objects.create(**values)


def make_offer(platform: ServicePlatform, **extra: Any) -> ServiceOffer:
    values: dict[str, Any] = {
        "kind": "testing",
        "title": "新材料热物性检测",
        "description": "导热系数、比热容、热膨胀系数检测，出具检测报告。",
        "deliverables": "检测报告",
        "lead_time_days": 7,
        "price_from": Decimal("800"),
    }
    values.update(extra)
    return ServiceOffer.objects.create(platform=platform, **values)
