"""Factories of 揭榜挂帅 challenges (test set-up; statuses set directly — tests about the workflow go
through ``techbridge.challenges.services``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import factory
from django.utils import timezone

from techbridge.challenges.choices import ApplicationStatus, ChallengeStatus
from techbridge.challenges.models import Application, Challenge, PanelSeat
from techbridge.taxonomy.models import IndustryField


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A published challenge, open for two more weeks, in 集成电路, with two indicators and a budget of
    50 万元. Pass ``organization`` (the publisher)."""

    class Meta:
        model = Challenge

    title = factory.Sequence(lambda n: f"车规级功率芯片散热封装技术攻关{n}")
    problem = "现有封装热阻偏高，满载工况下结温超过 150℃，需要新的散热封装方案。"
    indicators = factory.LazyFunction(lambda: ["结温降低 ≥ 15℃", "量产良率 ≥ 98%"])
    budget = Decimal("500000.00")
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    eligibility = "高校、科研院所或企业研发团队。"
    field = factory.LazyFunction(lambda: IndustryField.objects.filter(code="ic").first())
    district = "jiangning"
    status = ChallengeStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def make_challenge(cast_: Any, **extra: Any) -> Challenge:
    """A challenge of the cast's enterprise (published and open unless told otherwise)."""
    extra.setdefault("organization", cast_.enterprise)
    extra.setdefault("created_by", cast_.buyer)
    return cast(Challenge, ChallengeFactory(**extra))


def make_application(challenge: Challenge, organization: Any, user: Any = None, **extra: Any) -> Application:
    """A submitted application of ``organization`` with a two-person team and a two-step schedule."""
    values: dict[str, Any] = {
        "summary": "采用双面散热与银烧结工艺降低热阻。",
        "approach": "第一阶段完成仿真与样品，第二阶段完成可靠性验证与小批量试产。",
        "team": [{"name": "李研究", "role": "项目负责人"}, {"name": "王工", "role": "工艺工程师"}],
        "schedule": [
            {"title": "样品交付", "due": "2027-03-31"},
            {"title": "小批量试产", "due": "2027-09-30"},
        ],
        "price": Decimal("450000.00"),
        "status": ApplicationStatus.SUBMITTED,
    }
    values.update(extra)
    return Application.objects.create(
        challenge=challenge, organization=organization, submitted_by=user, **values
    )


def close_applications(challenge: Challenge, status: str = ChallengeStatus.CLOSED) -> Challenge:
    """Put the challenge past its deadline, in ``status`` (closed, reviewing …)."""
    Challenge.objects.filter(pk=challenge.pk).update(
        status=status, deadline=timezone.now() - dt.timedelta(hours=1), closed_at=timezone.now()
    )
    challenge.refresh_from_db()
    return challenge


def seat(challenge: Challenge, expert: Any) -> PanelSeat:
    return PanelSeat.objects.create(challenge=challenge, expert=expert)
