"""Every list page and list endpoint of finance pins its exact query count with several rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories.finance import (
    ProductFactory,
    make_introduction,
    make_investor,
    make_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast):
    investors = [make_investor(cast, name=f"示范基金{n}") for n in range(3)]
    for inv in investors:
        ProductFactory(investor=inv)
        ProductFactory(investor=inv)
    requests = [make_request(cast, title=f"融资需求{n}", field_codes=["ic", "software"]) for n in range(3)]
    for req, inv in zip(requests, investors, strict=True):
        make_introduction(cast, request=req, investor=inv)
    return investors, requests


def test_portal_lists_pin_their_queries(client, cast, rows, pinned_queries):
    client.force_login(cast.broker)
    with pinned_queries("home"):
        r = client.get(reverse("finance:home"))
    assert r.content.decode().count('class="card listing"') == 3
    with pinned_queries("requests"):
        r = client.get(reverse("finance:requests"))
    assert r.content.decode().count('class="card listing"') == 3
    with pinned_queries("mine"):
        r = client.get(reverse("finance:mine"))
    assert "融资需求1" in r.content.decode()
    client.force_login(cast.operator)
    with pinned_queries("console"):
        r = client.get(reverse("finance_console:investors"))
    assert "示范基金2" in r.content.decode()


def test_api_lists_pin_their_queries(as_user, cast, rows, pinned_queries):
    broker = as_user(cast.broker)
    with pinned_queries("investors"):
        r = broker.get("/api/v1/finance/investors/")
    assert r.json()["count"] == 3 and len(r.json()["results"][0]["products"]) == 2
    with pinned_queries("requests"):
        r = broker.get("/api/v1/finance/requests/")
    assert r.json()["count"] == 3 and r.json()["results"][0]["fields"] == ["ic", "software"]
    with pinned_queries("introductions"):
        r = broker.get("/api/v1/finance/introductions/")
    assert r.json()["count"] == 3


def test_loan_and_fund_lists_pin_their_queries(client, as_user, cast, pinned_queries):
    from decimal import Decimal

    from django.utils import timezone

    from techbridge.finance import funding
    from techbridge.finance.choices import Instrument, InvestorKind
    from techbridge.finance.models import FundApplication, LoanApplication
    from techbridge.testing.factories.ipservices import PatentFactory

    bank = make_investor(cast, name="示范银行", kind=InvestorKind.BANK, instruments=[Instrument.IP_LOAN])
    product = ProductFactory(investor=bank, instrument=Instrument.IP_LOAN)
    fund = funding.create_fund(
        actor=cast.operator,
        data={"name": "基金", "sponsor": cast.service, "size": Decimal("1e8"), "rules": "规则"},
    )
    for n in range(3):
        loan = LoanApplication.objects.create(
            organization=cast.enterprise,
            created_by=cast.buyer,
            product=product,
            amount=Decimal("2000000"),
            term_months=12,
            purpose="用途",
        )
        loan.patents.set(
            [PatentFactory(applicant_org=cast.enterprise), PatentFactory(applicant_org=cast.enterprise)]
        )
        call = funding.open_call(
            fund,
            actor=cast.operator,
            data={
                "title": f"征集{n}",
                "summary": "说明",
                "closes_on": timezone.localdate(),
                "max_award": Decimal("1e6"),
            },
        )
        FundApplication.objects.create(
            call=call,
            organization=cast.enterprise,
            created_by=cast.buyer,
            title=f"项目{n}",
            summary="简介",
            amount=Decimal("500000"),
            status="eligible",
        )
    client.force_login(cast.buyer)
    with pinned_queries("loans"):
        r = client.get(reverse("finance:loans"))
    assert r.content.decode().count("/finance/loans/") >= 3
    with pinned_queries("calls"):
        r = client.get(reverse("finance:calls"))
    assert "征集2" in r.content.decode()
    client.force_login(cast.operator)
    with pinned_queries("console-funds"):
        r = client.get(reverse("finance_console:funds"))
    assert "项目2" in r.content.decode()
    buyer = as_user(cast.buyer)
    with pinned_queries("api-loans"):
        r = buyer.get("/api/v1/finance/loans/")
    assert r.json()["count"] == 3 and len(r.json()["results"][0]["patents"]) == 2
    with pinned_queries("api-funds"):
        assert buyer.get("/api/v1/finance/funds/").json()["count"] == 1
    with pinned_queries("api-calls"):
        assert buyer.get("/api/v1/finance/calls/").json()["count"] == 3
    with pinned_queries("api-fund-applications"):
        assert buyer.get("/api/v1/finance/fund-applications/").json()["count"] == 3
