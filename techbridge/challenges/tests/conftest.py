"""Fixtures only the challenges' tests need: an open challenge of the cast's enterprise and experts of
the pool (one independent, one of the university that applies, one of the publisher)."""

from __future__ import annotations

from typing import Any

import pytest

from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.challenges import make_challenge
from techbridge.testing.factories.talent import ExpertFactory


@pytest.fixture
def challenge(cast: Any) -> Any:
    return make_challenge(cast)


@pytest.fixture
def expert(cast: Any) -> Any:
    """An independent expert (a member of the service centre)."""
    user = UserFactory(username="expert_qian", organization=cast.service, real_name="钱评审")
    return ExpertFactory(user=user, fields=("ic",))


@pytest.fixture
def second_expert(cast: Any) -> Any:
    user = UserFactory(username="expert_sun", organization=None, real_name="孙评审")
    return ExpertFactory(user=user, fields=("ic",))
