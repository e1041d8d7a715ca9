"""Who enters and imports contracts signed outside the platform (``contracts.permissions``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["reviewer", "operator", "official"])
def test_staff_and_officials_enter_no_contract_as_a_seller(client, cast, role):
    """The page enters a contract with the user's own organisation as the seller: platform staff (the
    platform's own organisation) and officials (their department) were let in. Registry officers
    transcribe paper applications through the import, which names the seller."""
    client.force_login(getattr(cast, role))

    response = client.get(reverse("contracts:external"))

    assert response.status_code == 403


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
