"""Two-way secondments: recorded by staff, bounded, counted on the talent page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.talent import services
from techbridge.talent.models import Secondment


def _data(cast, **kw):
    today = timezone.localdate()
    return {
        "programme": "tech_vp",
        "person_name": "李研究",
        "person": cast.researcher,
        "from_org": cast.university,
        "to_org": cast.enterprise,
        "post": "技术副总经理",
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=335),
        "projects": 2,
        "outputs": "联合申报省重点研发项目1项",
        **kw,
    }


def test_record_a_secondment_and_see_it_counted(client, cast):
    services.save_secondment(actor=cast.reviewer, data=_data(cast))
    html = client.get(reverse("talent:home")).content.decode()
    assert "技术副总" in html
    client.force_login(cast.official)
    assert "技术副总经理" in client.get(reverse("talent_console:secondments")).content.decode()


def test_bad_secondments_are_refused(cast):
    with pytest.raises(PermissionDenied):
        services.save_secondment(actor=cast.buyer, data=_data(cast))
    with pytest.raises(ValidationError):
        services.save_secondment(actor=cast.reviewer, data=_data(cast, to_org=cast.university))
    with pytest.raises(ValidationError):
        services.save_secondment(actor=cast.reviewer, data=_data(cast, ends_on=dt.date(2000, 1, 1)))
    with pytest.raises(ValidationError):
        services.save_secondment(actor=cast.reviewer, data=_data(cast, programme="astronaut"))
    assert not Secondment.objects.exists()


def test_secondments_through_the_api(cast):
    api = APIClient()
    api.force_authenticate(cast.reviewer)
    body = {
        "programme": "town_mayor",
        "person_name": "王管理",
        "from_org": cast.university.name,
        "to_org": cast.other_university.credit_code,
        "post": "科技副镇长",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    assert api.post("/api/v1/talent/secondments/", body, format="json").status_code == 201
    assert (
        api.post("/api/v1/talent/secondments/", {**body, "to_org": "没有的单位"}, format="json").status_code
        == 400
    )
    assert (
        api.get("/api/v1/talent/secondments/?programme=town_mayor").json()["results"][0]["post"]
        == "科技副镇长"
    )
