"""The demo loader: through the services, tagged as demo data, idempotent, no governance figure moves."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from techbridge.core.registry import Period, find_metric
from techbridge.testing.factories.achievements import AchievementFactory
from techbridge.tto.models import Disclosure, OpenLicence


def test_demo_cases_are_tagged_loaded_once_and_counted_nowhere(db, client):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    researcher = get_user_model().objects.get(username="researcher")
    for n in range(2):
        AchievementFactory(owner=researcher.organization, published=True, title=f"示例成果{n}")
    for _ in range(2):
        call_command("load_demo_tto", stdout=out)
    cases = list(Disclosure.objects.order_by("pk"))
    assert len(cases) == 2 and all(c.is_demo for c in cases)
    assert [c.status for c in cases] == ["submitted", "protect"]
    licence = OpenLicence.objects.get()
    assert licence.is_demo and licence.application.status == "granted"
    html = client.get(reverse("tto:licences")).content.decode()
    assert "示例成果1" in html and "示例数据" in html
    assert find_metric("tto.disclosures").compute(Period.year(dt.date.today().year)) is None
