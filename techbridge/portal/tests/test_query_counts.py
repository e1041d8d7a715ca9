"""Query counts of the console home, whose counters and panels the apps register."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.core import set_status
from techbridge.testing.factories.demands import make_demand

pytestmark = pytest.mark.django_db


def test_console_home(client, cast, pinned_queries):
    for n in range(3):
        set_status(make_achievement(cast, published=False, title=f"待审成果{n}"), ReviewStatus.SUBMITTED)
        set_status(make_demand(cast, published=False, title=f"待审需求{n}"), ReviewStatus.SUBMITTED)
    client.force_login(cast.operator)

    with pinned_queries("console home"):
        response = client.get(reverse("console:home"))

    html = response.content.decode()
    assert 'data-figure="achievements.submitted"><b>3</b>' in html  # 3 achievements awaiting review
    assert 'data-figure="demands.submitted"><b>3</b>' in html
