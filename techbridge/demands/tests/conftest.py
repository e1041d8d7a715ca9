"""Fixtures of the demand page tests: a published and a draft demand of the cast's enterprise."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.demands import make_demand


@pytest.fixture
def published(cast):
    return make_demand(cast, title="污水处理厂污泥减量技术需求")


@pytest.fixture
def draft(cast):
    return make_demand(cast, published=False, title="未公开的废气治理需求")
