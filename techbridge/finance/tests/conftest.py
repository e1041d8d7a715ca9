"""Fixtures of the finance tests: English strings, and the matching corpora forgotten between tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English source strings (tests in techbridge/core check the Chinese)."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_corpora():
    from techbridge.finance import matching
    from techbridge.matching import corpus

    corpus.forget(matching.INVESTORS)
    corpus.forget(matching.REQUESTS)
    yield
    corpus.forget(matching.INVESTORS)
    corpus.forget(matching.REQUESTS)


@pytest.fixture
def api_language():
    return "en"
