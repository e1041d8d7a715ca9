"""Fixtures of the instruments tests: an instrument of 示范大学 (person in charge: the researcher) with
an hourly fee schedule, an open voucher programme, and a service platform hosted by the university."""

from __future__ import annotations

from typing import Any

import pytest

from techbridge.testing.factories.instruments import (
    InstrumentFactory,
    make_offer,
    make_platform,
    make_programme,
    with_rates,
)


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English source strings (tests in techbridge/core check the Chinese)."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def make_instrument(cast: Any, **extra: Any):
    extra.setdefault("owner", cast.university)
    extra.setdefault("manager", cast.researcher)
    extra.setdefault("created_by", cast.researcher)
    extra.setdefault("access", "self_use")
    return with_rates(InstrumentFactory(**extra))


@pytest.fixture
def instrument(cast):
    return make_instrument(cast)


@pytest.fixture
def programme(cast):
    return make_programme(created_by=cast.operator)


@pytest.fixture
def platform(cast):
    return make_platform(cast.university, manager=cast.univ_admin)


@pytest.fixture
def offer(platform):
    return make_offer(platform)
