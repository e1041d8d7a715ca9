"""``load_demo_challenges``: two challenges from the demo enterprise's own demands, tagged as demo data —
one open, one awarded with its contract; budgets only from the demand; safe to run again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from techbridge.challenges.choices import ChallengeStatus
from techbridge.challenges.models import Challenge
from techbridge.contracts.choices import Origin
from techbridge.core.roles import Role
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.demands import DemandFactory
from techbridge.testing.factories.talent import ExpertFactory

pytestmark = pytest.mark.django_db


def test_demo_challenges_come_from_real_demo_demands(cast):
    UserFactory(username="enterprise", organization=cast.enterprise, role=Role.ORG_ADMIN)
    # the cast's reviewer, operator and researcher are the demo accounts of the same names
    ExpertFactory(user__organization=cast.service, fields=("ic",))
    ExpertFactory(user__organization=cast.other_university, fields=("ic",))
    for n, (low, high) in enumerate(
        ((Decimal(800000), Decimal(1500000)), (Decimal(2000000), Decimal(4000000)))
    ):
        DemandFactory(
            enterprise=cast.enterprise,
            title=f"示例需求{n}",
            indicators="功耗≤5pJ/bit；误码率≤1E-12；交付仿真报告。",
            budget_negotiable=False,
            budget_min=low,
            budget_max=high,
            is_demo=True,
            external_id=f"demo-demand-00{n}",
            fields=("ic",),
            published=True,
        )
    DemandFactory(
        enterprise=cast.enterprise, is_demo=True, published=True, external_id="demo-demand-009"
    )  # 面议

    call_command("load_demo_challenges")

    open_, awarded = Challenge.objects.order_by("pk")
    assert all(c.is_demo and c.source_demand_id for c in (open_, awarded))
    assert open_.status == ChallengeStatus.PUBLISHED and open_.budget == Decimal(1500000)
    assert open_.indicators == ["功耗≤5pJ/bit", "误码率≤1E-12", "交付仿真报告"]
    assert awarded.status == ChallengeStatus.AWARDED and awarded.budget == Decimal(4000000)
    assert awarded.contract.origin == Origin.CHALLENGE and awarded.contract.total_amount == Decimal(2000000)
    assert awarded.milestones.count() == 2

    call_command("load_demo_challenges")
    assert Challenge.objects.count() == 2
