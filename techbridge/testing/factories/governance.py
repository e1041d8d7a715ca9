"""Records the governance tests build, dated as the figures need: organisations placed in a district or
zone, registered contracts, published achievements and demands, negotiation rooms, department users
(``make_<thing>``; ``department(name)`` finds a department the seed plan loaded)."""

from __future__ import annotations

import datetime as dt
import itertools
import typing
from decimal import Decimal
from typing import Any

from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.core.roles import Role
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from .organizations import OrganizationFactory

_numbers = itertools.count(1)


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def make_org(name: str, kind: str = OrgKind.ENTERPRISE, district: str = "", zone: Any = None) -> Organization:
    """An approved organisation of ``kind`` located in ``district`` (and ``zone``)."""
    return typing.cast(
        Organization,
        OrganizationFactory(name=name, kind=kind, district=district, zone=zone, status=OrgStatus.APPROVED),
    )


def make_dated_contract(
    seller: Organization,
    buyer: Organization,
    amount: str | Decimal,
    on: dt.date,
    *,
    contract_type: str = "transfer",
    status: str = "registered",
    achievement: Any = None,
    signed: dt.date | None = None,
) -> Any:
    """A contract in ``status`` registered on ``on`` (test set-up: written directly, as ``publish`` does)."""
    from techbridge.contracts.models import Contract

    n = next(_numbers)
    return Contract.objects.create(
        number=f"T{n:06d}",
        title=f"测试合同{n}",
        contract_type=contract_type,
        seller=seller,
        buyer=buyer,
        total_amount=Decimal(str(amount)),
        technology_amount=Decimal(str(amount)),
        status=status,
        achievement=achievement,
        signed_at=aware(signed or on, 9),
        submitted_at=aware(on, 9),
        registered_at=aware(on) if status == "registered" else None,
        registration_number=f"R{n:06d}" if status == "registered" else "",
    )


def make_department_user(username: str, organization: Organization | None, role: str = Role.MEMBER) -> User:
    u = User(username=username, organization=organization, role=role, email=f"{username}@example.cn")
    u.set_password("Test-pass-2026")
    u.save()
    return u


def department(name: str) -> Organization:
    return Organization.objects.get(name=name, kind=OrgKind.GOVERNMENT)


def make_dated_achievement(
    owner: Organization,
    published_on: dt.date | None,
    *,
    created_on: dt.date | None = None,
    updated_on: dt.date | None = None,
) -> Any:
    """An achievement of ``owner`` published on ``published_on`` (None: a draft)."""
    from techbridge.core.workflow import ReviewStatus
    from techbridge.testing.factories.achievements import AchievementFactory

    a: Any = AchievementFactory(owner=owner)
    fields: dict[str, Any] = {}
    if published_on is not None:
        fields.update(status=ReviewStatus.PUBLISHED, published_at=aware(published_on))
    if created_on is not None:
        fields["created_at"] = aware(created_on)
    if updated_on is not None:
        fields["content_updated_at"] = aware(updated_on)
    type(a).objects.filter(pk=a.pk).update(**fields)
    a.refresh_from_db()
    return a


def make_dated_demand(enterprise: Organization, published_on: dt.date) -> Any:
    from techbridge.core.workflow import ReviewStatus
    from techbridge.testing.factories.demands import DemandFactory

    d: Any = DemandFactory(enterprise=enterprise)
    type(d).objects.filter(pk=d.pk).update(status=ReviewStatus.PUBLISHED, published_at=aware(published_on))
    d.refresh_from_db()
    return d


def make_dated_room(
    seller: Organization, buyer: Organization, on: dt.date, *, demand: Any = None, achievement: Any = None
) -> Any:
    from techbridge.deals.models import Room

    n = next(_numbers)
    return Room.objects.create(
        subject_key=f"demand:{demand.pk}" if demand else f"achievement:{getattr(achievement, 'pk', n)}",
        demand=demand,
        achievement=achievement,
        title=f"洽谈{n}",
        seller=seller,
        buyer=buyer,
        status="closed",
        created_at=aware(on),
    )
