"""Fixtures of the ipservices tests: a provider, the assistance centre, the 智能电网 industry."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.ipservices import make_centre, make_provider


@pytest.fixture
def provider(cast):
    """The cast's service institution (示范技术转移中心) as an IP service provider."""
    return make_provider(cast)


@pytest.fixture
def centre(db):
    """The assistance centre (a public body) as a provider."""
    return make_centre()


@pytest.fixture
def smart_grid(cast, django_capture_on_commit_callbacks):
    from techbridge.ipservices.services.navigation import save_industry

    with django_capture_on_commit_callbacks(execute=True):
        return save_industry(
            actor=cast.reviewer,
            values={
                "name": "智能电网",
                "code": "smart-grid",
                "ipc_prefixes": "H02J；H02H；G01R 31",
                "keywords": "智能电网；配电网；电力调度",
                "is_base": True,
            },
        )


@pytest.fixture(autouse=True)
def _english(english):
    """These tests read the English source strings (pages, messages, row reasons); tests of the Chinese
    catalogue live in techbridge/core. Chinese data (titles, names) is unaffected."""


@pytest.fixture(autouse=True)
def _media(media_root):
    """Evidence files and navigation reports go to a throw-away folder."""
