"""Fixtures of the API tests: clients signed in as members of the cast, and ready-made listings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from techbridge.testing.factories import AchievementFactory, DemandFactory, publish


@pytest.fixture
def api() -> APIClient:
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def as_user() -> Callable[[Any], APIClient]:
    """``as_user(cast.buyer)``: a client signed in as that user."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def published_achievement(cast):
    """A published achievement of 示范大学, written by the researcher."""
    achievement = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    publish(achievement)
    return achievement


@pytest.fixture
def draft_achievement(cast):
    """A draft achievement of 示范大学, written by the researcher."""
    return AchievementFactory(owner=cast.university, created_by=cast.researcher, title="未公开的草稿成果")


@pytest.fixture
def published_demand(cast):
    """A published demand of 示范企业, written by the buyer."""
    demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer)
    publish(demand)
    return demand
