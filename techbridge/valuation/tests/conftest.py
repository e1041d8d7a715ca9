"""Fixtures of the valuation tests: a published achievement with a scorecard, an expert pool with
conflicts of interest, fake comparables, and a request ready to issue."""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal as D

import pytest

from techbridge.achievements.models import Achievement
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.talent.models import Expert
from techbridge.taxonomy.models import DealMode, IndustryField
from techbridge.testing.cast import _user
from techbridge.testing.factories import AchievementFactory, publish
from techbridge.valuation import comparables

# Complete assumptions: cost 693,000 and profit share 97,694.40 (the worked examples of test_formulas).
ASSUMPTIONS = {
    "purpose": "transfer",
    "reproduction_cost": D(1_000_000),
    "developer_profit_pct": D(10),
    "technical_obsolescence_pct": D(30),
    "economic_obsolescence_pct": D(10),
    "income_method": "profit_share",
    "first_year_revenue": D(1_000_000),
    "growth_pct": D(5),
    "economic_life_years": 3,
    "tax_pct": D(25),
    "risk_free_pct": D(3),
    "technology_risk_pct": D(4),
    "market_risk_pct": D(2),
    "management_risk_pct": D(1),
    "profit_margin_pct": D(20),
    "technology_share_pct": D(25),
    "subject_deal_mode": "assignment",
    "price_index_pct": D(0),
}


def make_achievement(cast, *, published: bool = True, fields=("ic",), **kw) -> Achievement:
    kw.setdefault("owner", cast.university)
    kw.setdefault("created_by", cast.researcher)
    kw.setdefault("title", "一种低功耗芯片时钟电路")
    kw.setdefault("summary", "本成果提供一种低功耗集成电路时钟电路设计，降低芯片动态功耗。")
    kw.setdefault("keywords", "集成电路,时钟,低功耗")
    kw.setdefault("ipc_codes", "H03K 3/00, G06F 1/04")
    kw.setdefault("team", "刘迪;刘敏;王煜伟")
    kw.setdefault("trl", 7)
    achievement = typing.cast(Achievement, AchievementFactory(**kw))
    achievement.fields.set(IndustryField.objects.filter(code__in=fields))
    achievement.deal_modes.set(DealMode.objects.filter(code__in=["assignment"]))
    if published:
        publish(achievement)
    return achievement


@pytest.fixture
def achievement(cast):
    return make_achievement(cast)


def _org(name: str, kind: str = OrgKind.INSTITUTE) -> Organization:
    return Organization.objects.create(name=name, kind=kind, status=OrgStatus.APPROVED)


@pytest.fixture
def experts(cast):
    """Five experts in 集成电路: three independent, one at the owner university (conflict) and one at
    the buyer enterprise (conflict when the buyer requests); one more in another field only."""
    ic = IndustryField.objects.get(code="ic")
    other = IndustryField.objects.get(code="environment")
    made = {}
    for key, org in (
        ("e1", _org("东南研究院")),
        ("e2", _org("江苏评估事务所", OrgKind.SERVICE)),
        ("e3", _org("南京理工研究所")),
        ("e_owner", cast.university),
        ("e_buyer", cast.enterprise),
        ("e_env", _org("环保研究院")),
    ):
        user = _user(f"expert_{key}", org, "member", real_name=f"专家{key}")
        expert = Expert.objects.create(user=user, title="研究员")
        expert.fields.set([other] if key == "e_env" else [ic])
        made[key] = expert
    return made


def fake_comparables(n: int):
    """A provider with ``n`` registered-contract comparables in the same field and deal mode."""
    amounts = [D(800_000), D(1_000_000), D(1_200_000), D(900_000), D(1_100_000)]

    def provider(achievement):
        return [
            comparables.Comparable(
                source="contract",
                ref=f"contract:{i}",
                title=f"集成电路低功耗时钟芯片技术转让{i}",
                amount=amounts[i],
                on=date(2026, 1, 1),
                field_codes=("ic",),
                deal_mode="assignment",
                contract_type="transfer",
                text="集成电路 低功耗 时钟 芯片 电路",
            )
            for i in range(n)
        ]

    return provider


@pytest.fixture
def three_comparables(monkeypatch):
    monkeypatch.setattr(comparables, "PROVIDERS", [fake_comparables(3)])


@pytest.fixture
def no_comparables(monkeypatch):
    monkeypatch.setattr(comparables, "PROVIDERS", [])


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Reports are written under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
