"""Fixtures of the valuation tests: a published achievement in 集成电路 (overriding the shared
``achievement``), an expert pool with conflicts of interest, comparables without a database, and
reports written under a throw-away MEDIA_ROOT. Records come from ``techbridge.testing.factories``
(``valuation.ASSUMPTIONS`` are complete assumptions for a request)."""

from __future__ import annotations

import pytest

from techbridge.organizations.choices import OrgKind
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.organizations import OrganizationFactory
from techbridge.testing.factories.talent import ExpertFactory
from techbridge.testing.factories.valuation import comparables_provider
from techbridge.valuation import comparables


@pytest.fixture
def achievement(cast):
    """A published low-power clock circuit of 示范大学 in 集成电路, for assignment."""
    return make_achievement(cast, chip=True, title="一种低功耗芯片时钟电路")


@pytest.fixture
def experts(cast):
    """Five experts in 集成电路: three independent, one at the owner university (conflict) and one at
    the buyer enterprise (conflict when the buyer requests); one more in another field only."""
    made = {}
    for key, org in (
        ("e1", OrganizationFactory(name="东南研究院", kind=OrgKind.INSTITUTE)),
        ("e2", OrganizationFactory(name="江苏评估事务所", kind=OrgKind.SERVICE)),
        ("e3", OrganizationFactory(name="南京理工研究所", kind=OrgKind.INSTITUTE)),
        ("e_owner", cast.university),
        ("e_buyer", cast.enterprise),
        ("e_env", OrganizationFactory(name="环保研究院", kind=OrgKind.INSTITUTE)),
    ):
        made[key] = ExpertFactory(
            user__username=f"expert_{key}",
            user__organization=org,
            user__real_name=f"专家{key}",
            fields=["environment"] if key == "e_env" else ["ic"],
        )
    return made


@pytest.fixture
def three_comparables(monkeypatch):
    monkeypatch.setattr(comparables, "PROVIDERS", [comparables_provider(3)])


@pytest.fixture
def no_comparables(monkeypatch):
    monkeypatch.setattr(comparables, "PROVIDERS", [])


@pytest.fixture(autouse=True)
def _media(media_root):
    """Reports are written under a throw-away MEDIA_ROOT."""
