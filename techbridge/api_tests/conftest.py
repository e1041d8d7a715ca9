"""Fixtures of the API tests: ready-made listings of the cast. The clients (``api``, ``as_user``) are
shared fixtures (``techbridge.testing.fixtures.api``)."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.achievements import AchievementFactory
from techbridge.testing.factories.demands import DemandFactory


@pytest.fixture
def published_achievement(cast):
    """A published achievement of 示范大学, written by the researcher."""
    return AchievementFactory(owner=cast.university, created_by=cast.researcher, published=True)


@pytest.fixture
def draft_achievement(cast):
    """A draft achievement of 示范大学, written by the researcher."""
    return AchievementFactory(owner=cast.university, created_by=cast.researcher, title="未公开的草稿成果")


@pytest.fixture
def published_demand(cast):
    """A published demand of 示范企业, written by the buyer."""
    return DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, published=True)
