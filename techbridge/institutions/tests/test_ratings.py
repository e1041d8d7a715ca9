"""Clients rate a service after the contract is performed; an institution never rates itself and never
sees who rated it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.core.models import Notification
from techbridge.institutions import services
from techbridge.institutions.models import Rating


def test_both_sides_of_a_brokered_deal_may_rate_once(cast, institution, brokered_deal):
    _room, contract = brokered_deal()
    services.rate_service(contract, actor=cast.buyer, institution=institution, score=4, comment="响应及时")
    services.rate_service(contract, actor=cast.researcher, institution=institution, score=5)
    assert Rating.objects.count() == 2
    with pytest.raises(ValidationError):
        services.rate_service(contract, actor=cast.univ_admin, institution=institution, score=1)
    assert Notification.objects.filter(recipient=cast.broker, kind="institution").exists()


def test_no_rating_before_the_contract_is_performed(cast, institution, brokered_deal):
    _room, contract = brokered_deal(perform=False)
    with pytest.raises(ValidationError):
        services.rate_service(contract, actor=cast.buyer, institution=institution, score=5)


def test_the_institution_cannot_rate_itself_nor_can_outsiders(cast, institution, brokered_deal):
    _room, contract = brokered_deal()
    with pytest.raises(PermissionDenied):
        services.rate_service(contract, actor=cast.broker, institution=institution, score=5)
    with pytest.raises(PermissionDenied):
        services.rate_service(contract, actor=cast.stranger, institution=institution, score=5)
    with pytest.raises(ValidationError):
        services.rate_service(contract, actor=cast.buyer, institution=institution, score=6)
    assert not Rating.objects.exists()


def test_an_institution_that_did_not_take_part_cannot_be_rated(cast, brokered_deal):
    from techbridge.testing.factories.institutions import make_institution

    _room, contract = brokered_deal()
    other = make_institution(cast.other_university)  # not a broker in that room
    with pytest.raises(ValidationError):
        services.rate_service(contract, actor=cast.buyer, institution=other, score=3)


def test_rating_panel_on_the_contract_page(client, cast, institution, brokered_deal):
    _room, contract = brokered_deal()
    client.force_login(cast.buyer)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="rate-form"' in page and cast.service.name in page
    client.post(
        reverse("institutions:rate", args=[contract.pk]),
        {"institution": institution.pk, "score": "4", "comment": "专业"},
    )
    assert Rating.objects.get().score == 4
    after = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="rate-form"' not in after and "4 ★" in after


def test_the_institution_sees_its_ratings_but_not_who_gave_them(client, cast, institution, brokered_deal):
    _room, contract = brokered_deal()
    services.rate_service(contract, actor=cast.buyer, institution=institution, score=2, comment="沟通不畅")
    client.force_login(cast.broker)
    mine = client.get(reverse("institutions:mine")).content.decode()
    assert "沟通不畅" in mine and cast.enterprise.name not in mine and cast.buyer.display_name not in mine
    api = APIClient()
    api.force_authenticate(cast.broker)
    rows = api.get(f"/api/v1/institutions/{institution.pk}/ratings/").json()
    assert rows[0]["score"] == 2 and "rater" not in rows[0] and "rater_org" not in rows[0]
    api.force_authenticate(cast.reviewer)
    rows = api.get(f"/api/v1/institutions/{institution.pk}/ratings/").json()
    assert rows[0]["rater_org"] == cast.enterprise.name
    api.force_authenticate(cast.buyer)
    assert api.get(f"/api/v1/institutions/{institution.pk}/ratings/").status_code == 404


def test_rate_through_the_api(cast, institution, brokered_deal):
    _room, contract = brokered_deal()
    api = APIClient()
    api.force_authenticate(cast.buyer)
    body = {"contract": contract.pk, "institution": institution.pk, "score": 5, "comment": "很好"}
    assert api.post("/api/v1/institution-ratings/", body, format="json").status_code == 201
    again = api.post("/api/v1/institution-ratings/", body, format="json")
    assert again.status_code == 400 and again.json()["message"]
    api.force_authenticate(cast.stranger)
    assert api.post("/api/v1/institution-ratings/", body, format="json").status_code == 404


def test_clients_are_invited_to_rate(cast, institution, brokered_deal):
    from techbridge.institutions.extensions import invite_ratings

    brokered_deal()
    sent = invite_ratings()
    assert sent >= 2 and invite_ratings() == 0  # once per contract, institution and person
    assert Notification.objects.filter(recipient=cast.buyer, kind="institution_rating").exists()
