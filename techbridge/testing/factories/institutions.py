"""Factories of the institutions app: a listed institution with a complete profile, in one call."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from techbridge.institutions.choices import InstitutionStatus
from techbridge.institutions.models import Institution, InstitutionService
from techbridge.taxonomy.models import IndustryField


class InstitutionFactory(factory.django.DjangoModelFactory):
    """An institution of ``organization`` (pass a service organisation), listed by default."""

    class Meta:
        model = Institution

    summary = "专注高校科技成果转移转化的专业服务机构，提供技术经纪、知识产权运营与成果评价服务。"
    staff_count = 12
    contact_name = "赵经理"
    contact_phone = "025-83790000"
    status = InstitutionStatus.APPROVED
    listed_at = factory.LazyFunction(timezone.now)


def make_institution(
    organization: Any,
    *,
    services: tuple[str, ...] = ("transfer", "ip"),
    fields: tuple[str, ...] = ("nev",),
    **kw: Any,
) -> Institution:
    """A listed institution with services and industry fields (test set-up, bypassing review)."""
    inst: Institution = InstitutionFactory(organization=organization, **kw)  # type: ignore[assignment]
    InstitutionService.objects.bulk_create([InstitutionService(institution=inst, code=c) for c in services])
    inst.fields.set(IndustryField.objects.filter(code__in=fields))
    return inst
