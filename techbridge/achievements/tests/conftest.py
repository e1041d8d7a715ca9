"""Fixtures of the achievement page tests: a published and a draft achievement of the cast's university."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.achievements import make_achievement


@pytest.fixture
def published(cast):
    return make_achievement(cast, title="一种高效锂电池隔膜制备方法")


@pytest.fixture
def draft(cast):
    return make_achievement(cast, published=False, title="未公开的钙钛矿电池草稿")
