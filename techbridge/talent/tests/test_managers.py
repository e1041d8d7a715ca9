"""Technology managers: profiles reviewed into a public directory, with the deals they brokered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.talent import queries, services
from techbridge.talent.models import TechnologyManager
from techbridge.taxonomy.models import IndustryField


def _profile(cast, **kw):
    data = {
        "level": "intermediate",
        "fields": list(IndustryField.objects.filter(code="nev")),
        "bio": "十年技术经纪经验",
        **kw,
    }
    return services.save_manager_profile(actor=cast.broker, data=data)


def test_profile_review_and_the_directory(client, cast, institution):
    m = _profile(cast)
    assert m.status == "submitted" and m.institution == institution
    assert cast.broker.display_name not in client.get(reverse("talent:managers")).content.decode()
    with pytest.raises(PermissionDenied):
        services.review_manager(m, actor=cast.broker, approve=True)
    services.review_manager(m, actor=cast.reviewer, approve=True, level="senior")
    m.refresh_from_db()
    assert m.status == "approved" and m.level == "senior"
    html = client.get(reverse("talent:managers")).content.decode()
    assert cast.broker.display_name in html
    assert (
        'data-testid="institution-managers"'
        in client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()
    )
    # A change of level or fields goes back to review.
    _profile(cast, level="junior")
    m.refresh_from_db()
    assert m.status == "submitted"


def test_profiles_are_bounded(cast):
    with pytest.raises(ValidationError):
        services.save_manager_profile(actor=cast.broker, data={"level": "guru", "fields": []})
    with pytest.raises(ValidationError):
        services.save_manager_profile(
            actor=cast.broker, data={"level": "junior", "fields": list(IndustryField.objects.all()[:7])}
        )
    assert not TechnologyManager.objects.exists()


def test_deals_brokered_come_from_the_rooms(cast, institution, brokered_deal):
    brokered_deal()
    d = queries.deals_brokered(cast.broker)
    assert (
        d["rooms"] == 1 and d["agreed"] == 1 and d["contracts_signed"] == 1 and d["contracts_registered"] == 1
    )
    m = _profile(cast)
    services.review_manager(m, actor=cast.reviewer, approve=True)
    api = APIClient()
    assert api.get(f"/api/v1/talent/managers/{m.pk}/deals/").json()["contracts_registered"] == 1
    listing = api.get("/api/v1/talent/managers/").json()["results"]
    assert listing[0]["industry_fields"] == ["nev"]


def test_an_unlisted_profile_is_hidden(client, cast):
    m = _profile(cast)
    assert client.get(reverse("talent:manager", args=[m.pk])).status_code == 404
    client.force_login(cast.broker)
    assert client.get(reverse("talent:manager", args=[m.pk])).status_code == 200


def test_profile_through_the_page_and_api(client, cast):
    client.force_login(cast.broker)
    client.post(
        reverse("talent:manager_mine"),
        {"level": "junior", "fields_": ["nev"], "max_load": "5", "accepting_routes": "on"},
    )
    assert TechnologyManager.objects.get().level == "junior"
    api = APIClient()
    api.force_authenticate(cast.buyer)
    r = api.put(
        "/api/v1/talent/profile/", {"level": "senior", "fields": ["ic"], "max_load": 51}, format="json"
    )
    assert r.status_code == 400
    r = api.put("/api/v1/talent/profile/", {"level": "senior", "fields": ["ic"]}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    cert = api.post(
        "/api/v1/talent/certificates/",
        {
            "kind": "manager",
            "number": "JSJL-001",
            "issuer": "中国科学技术交流中心",
            "issued_on": dt.date(2025, 3, 1).isoformat(),
        },
        format="json",
    )
    assert cert.status_code == 201 and cert.json()["status"] == "pending"
