"""Factories of carriers and enterprise records (test set-up; statuses set directly, bypassing review)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import factory
from django.utils import timezone

from techbridge.carriers.choices import (
    CarrierKind,
    CarrierStatus,
    DesignationKind,
    Level,
)
from techbridge.carriers.models import Carrier, Designation


class CarrierFactory(factory.django.DjangoModelFactory):
    """A draft carrier; pass ``operator`` (and usually ``created_by``)."""

    class Meta:
        model = Carrier

    name = factory.Sequence(lambda n: f"紫金众创空间{n}号")
    kind = CarrierKind.MAKER_SPACE
    level = Level.NONE
    services = "工位、共享实验室、创业导师、投融资对接"
    district = "jiangbei"


def make_carrier(
    operator: Any,
    *,
    kind: str = CarrierKind.MAKER_SPACE,
    level: str = Level.PROVINCIAL,
    recognised_on: dt.date | None = None,
    **extra: Any,
) -> Carrier:
    """An approved, recognised carrier (set-up only)."""
    carrier: Any = CarrierFactory(
        operator=operator,
        kind=kind,
        level=level,
        recognised_on=recognised_on or dt.date(2019, 6, 1) if level != Level.NONE else None,
        **extra,
    )
    Carrier.objects.filter(pk=carrier.pk).update(status=CarrierStatus.APPROVED, approved_at=timezone.now())
    carrier.refresh_from_db()
    return cast(Carrier, carrier)


class DesignationFactory(factory.django.DjangoModelFactory):
    """A valid designation; pass ``organization`` (an enterprise)."""

    class Meta:
        model = Designation

    kind = DesignationKind.DEMONSTRATION
    year = 2019
    granted_on = dt.date(2019, 11, 20)
    evidence = "宁科〔2019〕123号 第二批产学研合作示范企业名单"
    issuer = "南京市科学技术局"
