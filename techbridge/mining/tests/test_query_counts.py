"""Query counts of the catalogue lists (public page, console, API), with several catalogues of
several entries each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.mining import catalogues as svc
from techbridge.testing.factories.achievements import AchievementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_catalogues(cast):
    """Three published catalogues of three published achievements each, and one draft."""
    made = []
    for n in range(3):
        c = svc.create_catalogue(actor=cast.reviewer, title=f"成果目录{n}", description="面向企业推介。")
        members = [
            AchievementFactory(owner=cast.university, title=f"目录{n}成果{i}", published=True)
            for i in range(3)
        ]
        svc.add_achievements(c, [a.pk for a in members], actor=cast.reviewer)
        svc.publish_catalogue(c, actor=cast.reviewer)
        made.append(c)
    svc.create_catalogue(actor=cast.reviewer, title="草稿目录", description="")
    return made


def test_catalogue_lists(client, cast, published_catalogues, pinned_queries):
    with pinned_queries("public page"):
        html = client.get(reverse("mining:catalogues")).content.decode()
    assert all(f"成果目录{n}" in html for n in range(3)) and "草稿目录" not in html

    with pinned_queries("api"):
        body = client.get(reverse("api:mining-catalogue-list")).json()
    assert sorted(c["title"] for c in body["results"]) == ["成果目录0", "成果目录1", "成果目录2"]

    client.force_login(cast.reviewer)
    with pinned_queries("console"):
        html = client.get(reverse("mining_console:catalogues")).content.decode()
    assert all(f"成果目录{n}" in html for n in range(3)) and "草稿目录" in html
