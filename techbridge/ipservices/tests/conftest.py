"""Fixtures of the ipservices tests: a provider, the 智能电网 industry, patents, real sample records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SAMPLE = Path("/work/shared/data/cn_patent_records_sample/patent_records.jsonl")


def sample_records() -> list[dict]:
    """The real CNIPA-style sample records: /work/shared/data, else the copy in the repository's data/."""
    from django.conf import settings

    path = (
        SAMPLE
        if SAMPLE.is_file()
        else Path(settings.BASE_DIR) / "data" / "cn_patent_records_sample" / "patent_records.jsonl"
    )
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture
def provider(cast):
    """The cast's service institution (示范技术转移中心) as an IP service provider."""
    from techbridge.ipservices.models import ServiceProvider

    return ServiceProvider.objects.create(organization=cast.service, role="institution")


@pytest.fixture
def centre(db):
    """An assistance centre (a public body) as a provider."""
    from techbridge.ipservices.models import ServiceProvider
    from techbridge.lib.credit_code import check_character
    from techbridge.organizations.models import Organization

    body = "12320100MB1C00009"
    org = Organization.objects.create(
        name="南京市知识产权维权援助中心",
        kind="government",
        credit_code=body + check_character(body),
        district="jianye",
        status="approved",
    )
    return ServiceProvider.objects.create(organization=org, role="centre", offers_analysis=False)


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
def _english(client):
    """These tests read the English source strings (pages, messages, row reasons); tests of the Chinese
    catalogue live in techbridge/core. Chinese data (titles, names) is unaffected."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
