"""Fixtures shared by the deals and contracts tests: a published achievement of the cast's university."""

from __future__ import annotations

import typing
from decimal import Decimal

import pytest

from techbridge.achievements.models import Achievement
from techbridge.taxonomy.models import DealMode, IndustryField
from techbridge.testing.factories import AchievementFactory, publish


def make_achievement(cast, *, published: bool = True, **kw) -> Achievement:
    kw.setdefault("owner", cast.university)
    kw.setdefault("created_by", cast.researcher)
    achievement = typing.cast(Achievement, AchievementFactory(**kw))
    achievement.fields.set(IndustryField.objects.filter(code="nev"))
    achievement.deal_modes.set(DealMode.objects.filter(code__in=["assignment", "license-ordinary"]))
    if published:
        publish(achievement)
    return achievement


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (message attachments) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def achievement(cast):
    return make_achievement(cast, title="高安全锂电池隔膜制备技术")


def make_signed_contract(cast, achievement=None, amount="1000000.00", **changes):
    """A contract both sides signed (seller = university, buyer = enterprise)."""
    from techbridge.contracts import services

    contract = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="锂电池隔膜技术转让合同",
        amount=Decimal(amount),
        achievement=achievement,
        deal_mode="assignment",
    )
    if changes:
        services.update_draft(contract, actor=cast.buyer, data=changes)
    services.sign_contract(contract, actor=cast.researcher)
    services.sign_contract(contract, actor=cast.buyer)
    contract.refresh_from_db()
    return contract
