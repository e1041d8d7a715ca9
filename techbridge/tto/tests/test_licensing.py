"""Open licences (专利法 art. 50–52): declaration, public list, licence by notice, royalty reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from techbridge.contracts.models import Contract
from techbridge.core.workflow import TransitionError
from techbridge.tto import services


@pytest.fixture
def licence(cast, granted):
    services.publish_listing(granted.disclosure, actor=cast.univ_admin)
    return services.declare_open_licence(
        granted,
        actor=cast.univ_admin,
        royalty_rate="3.5",
        entry_fee="20000",
        term_years=5,
        payment_terms="每年3月31日前按上年销售额支付。",
    )


def test_only_a_granted_patent_is_declared(cast, protected):
    app = services.file_application(
        protected,
        actor=cast.univ_admin,
        data={"application_number": "CN202410123456.7", "filing_date": "2024-01-02"},
    )
    with pytest.raises(TransitionError) as exc:
        services.declare_open_licence(
            app, actor=cast.univ_admin, royalty_rate=3, entry_fee=0, term_years=3, payment_terms="x"
        )
    assert "专利法" in str(exc.value.message)


def test_public_list_shows_the_terms(cast, licence, client):
    page = client.get(reverse("tto:licences")).content.decode()
    assert licence.application.application_number in page and "3.50" in page


def test_licence_by_notice_generates_and_submits_the_contract(cast, licence, client):
    client.force_login(cast.buyer)
    response = client.post(reverse("tto:take", args=[licence.pk]))
    assert response.status_code == 302
    grant = licence.grants.get()
    contract = Contract.objects.get(pk=grant.contract_id)
    assert contract.status == "submitted"
    assert (contract.seller, contract.buyer) == (cast.university, cast.enterprise)
    assert contract.contract_type == "license" and contract.sub_type
    assert contract.royalty_rate == Decimal("3.5") and contract.total_amount == Decimal("20000.00")
    assert contract.duration_months == 60 and contract.exclusivity == "non_exclusive"
    with pytest.raises(TransitionError):
        services.take_licence(licence, actor=cast.buyer)
    with pytest.raises(PermissionDenied):
        services.take_licence(licence, actor=cast.researcher)


def test_licensee_reports_royalties(cast, licence):
    grant = services.take_licence(licence, actor=cast.buyer)
    report = services.report_royalties(grant, actor=cast.buyer, year=2026, sales="1000000")
    assert report.royalty == Decimal("35000.00")
    with pytest.raises(PermissionDenied):
        services.report_royalties(grant, actor=cast.univ_admin, year=2026, sales="1")
    with pytest.raises(TransitionError):
        services.report_royalties(grant, actor=cast.buyer, year=2026, sales="1")


def test_withdrawn_licence_leaves_the_list_and_keeps_licences(cast, licence, client):
    grant = services.take_licence(licence, actor=cast.buyer)
    services.withdraw_open_licence(licence, actor=cast.univ_admin)
    assert licence.application.application_number not in client.get(reverse("tto:licences")).content.decode()
    grant.refresh_from_db()
    assert grant.contract.status == "submitted"
