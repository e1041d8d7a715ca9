"""Query counts of the registry's queue, with several contracts waiting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.contracts import services
from techbridge.testing.factories.contracts import make_signed_contract

pytestmark = pytest.mark.django_db


def test_registration_queue(client, cast, achievement, pinned_queries):
    for n in range(4):
        contract = make_signed_contract(cast, achievement, title=f"待登记合同{n}")
        services.submit_for_registration(contract, actor=cast.researcher)
    client.force_login(cast.reviewer)

    with pinned_queries("queue"):
        html = client.get(reverse("contracts_console:queue")).content.decode()

    assert all(f"待登记合同{n}" in html for n in range(4))
