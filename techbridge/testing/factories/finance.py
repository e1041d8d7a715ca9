"""Factories of technology finance (test set-up; statuses set directly). The cast's investor is the
service institution's technology conversion fund (the broker is its person); the cast's financing
request is the enterprise's (the buyer posts it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import factory

from techbridge.finance.choices import (
    Instrument,
    IntroStatus,
    InvestorKind,
    InvestorStatus,
    RequestStatus,
    Side,
    Stage,
)
from techbridge.finance.models import FinancingRequest, Introduction, Investor, Product
from techbridge.taxonomy.models import IndustryField


class InvestorFactory(factory.django.DjangoModelFactory):
    """A qualified conversion fund for seed and start-up equity, 100万–1000万元, any district."""

    class Meta:
        model = Investor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"示范科技成果转化基金{n}")
    kind = InvestorKind.CONVERSION
    summary = "投资高校院所科技成果转化项目，重点关注集成电路、智能制造等领域的早期企业。"
    stages = factory.LazyFunction(lambda: [Stage.SEED, Stage.STARTUP])
    instruments = factory.LazyFunction(lambda: [Instrument.EQUITY])
    districts = factory.LazyFunction(list)
    ticket_min = Decimal("1000000")
    ticket_max = Decimal("10000000")
    status = InvestorStatus.QUALIFIED

    @factory.post_generation
    def field_codes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj: Any = self
            obj.fields.set(IndustryField.objects.filter(code__in=extracted or ("ic",)))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"科技成果转化股权投资{n}")
    instrument = Instrument.EQUITY
    summary = "单个项目投资不超过1000万元，持股不超过30%。"
    amount_min = Decimal("1000000")
    amount_max = Decimal("10000000")


class RequestFactory(factory.django.DjangoModelFactory):
    """An open request for 500万元 of start-up equity in 集成电路, district 江宁."""

    class Meta:
        model = FinancingRequest
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"车规级功率芯片产业化项目融资{n}")
    summary = "公司研发车规级碳化硅功率芯片，已完成流片验证，寻求股权融资扩大产能。"
    amount = Decimal("5000000")
    stage = Stage.STARTUP
    instrument = Instrument.EQUITY
    district = "jiangning"
    use_of_funds = "生产线建设60%，研发投入30%，流动资金10%。"
    status = RequestStatus.OPEN

    @factory.post_generation
    def field_codes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj: Any = self
            obj.fields.set(IndustryField.objects.filter(code__in=extracted or ("ic",)))


def make_investor(cast_: Any, **extra: Any) -> Investor:
    extra.setdefault("organization", cast_.service)
    extra.setdefault("created_by", cast_.broker)
    return cast(Investor, InvestorFactory(**extra))


def make_request(cast_: Any, **extra: Any) -> FinancingRequest:
    extra.setdefault("organization", cast_.enterprise)
    extra.setdefault("created_by", cast_.buyer)
    return cast(FinancingRequest, RequestFactory(**extra))


def make_introduction(cast_: Any, *, status: str = IntroStatus.PROPOSED, **extra: Any) -> Introduction:
    """The cast's request introduced to the cast's investor, asked by the enterprise."""
    from django.utils import timezone

    if "request" not in extra:
        extra["request"] = make_request(cast_)
    if "investor" not in extra:
        extra["investor"] = make_investor(cast_)
    now = timezone.now()
    return Introduction.objects.create(
        status=status,
        proposed_by=Side.ENTERPRISE,
        enterprise_consent_at=now,
        investor_consent_at=None if status == IntroStatus.PROPOSED else now,
        created_by=cast_.buyer,
        **extra,
    )
