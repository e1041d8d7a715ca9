"""Who enters and imports contracts signed outside the platform (``contracts.permissions``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_officials_enter_no_contract_as_a_seller(client, cast):
    """The page enters a contract with the user's own organisation as the seller: an official (their
    department) is not a seller."""
    client.force_login(cast.official)

    assert client.get(reverse("contracts:external")).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "operator"])
def test_registry_officers_name_the_seller_when_they_enter_a_contract(client, cast, role):
    """Registry officers transcribe paper applications (an individual inventor's too, 认定规则 art. 4):
    the page asks them who the seller is instead of taking their own organisation."""
    client.force_login(getattr(cast, role))

    response = client.get(reverse("contracts:external"))

    assert response.status_code == 200
    assert 'name="seller_party_kind"' in response.content.decode()
    assert 'name="seller_credit_code"' in response.content.decode()


def test_a_member_enters_one(client, cast):
    client.force_login(cast.researcher)
    assert client.get(reverse("contracts:external")).status_code == 200


def test_the_import_and_its_template_are_for_importers(client, cast):
    assert client.get(reverse("contracts:import_template"))["Location"].startswith(reverse("accounts:login"))
    client.force_login(cast.official)
    assert client.get(reverse("contracts:import")).status_code == 403
    assert client.get(reverse("contracts:import_template")).status_code == 403
    client.force_login(cast.reviewer)
    assert client.get(reverse("contracts:import_template")).status_code == 200
