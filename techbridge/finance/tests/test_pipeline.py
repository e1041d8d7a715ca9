"""The investment path through the API and the pages: an enterprise posts a financing request, gets
matched investors with reasons, both sides consent, the pipeline reaches "invested" and the statistics
and the governance metrics move."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from techbridge.core import registry
from techbridge.core.models import AuditEntry
from techbridge.core.registry import Period
from techbridge.finance.choices import Instrument, IntroStatus, InvestorKind, RequestStatus
from techbridge.finance.models import FinancingRequest, Introduction
from techbridge.testing.factories.finance import InvestorFactory, make_investor, make_request

pytestmark = pytest.mark.django_db

REQUEST = {
    "title": "车规级碳化硅功率芯片产业化",
    "summary": "公司研发车规级碳化硅功率芯片，已完成流片验证和车厂送样，寻求股权融资扩大封测产能。",
    "amount": "5000000.00",
    "stage": "startup",
    "instrument": "equity",
    "use_of_funds": "封测产线建设与可靠性验证。",
    "fields": ["ic"],
}


@pytest.fixture
def investors(cast):
    """The cast's conversion fund (集成电路, start-up equity) and a bank for loans in agriculture."""
    fund = make_investor(
        cast, name="示范集成电路成果转化基金", summary="投资集成电路芯片设计、功率器件与封测的早期企业。"
    )
    bank = InvestorFactory(
        organization=cast.department,
        created_by=cast.official,
        name="示范银行科技支行",
        kind=InvestorKind.BANK,
        summary="为现代农业企业提供流动资金贷款。",
        instruments=[Instrument.LOAN],
        stages=["mature"],
        ticket_min=Decimal("100000"),
        ticket_max=Decimal("2000000"),
        field_codes=["agriculture"],
    )
    return fund, bank


def test_request_match_introduce_invest_through_the_api(cast, as_user, investors):
    fund, bank = investors
    buyer, broker, official = as_user(cast.buyer), as_user(cast.broker), as_user(cast.official)

    r = buyer.post("/api/v1/finance/requests/", REQUEST, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "open"

    matches = buyer.get(f"/api/v1/finance/requests/{pk}/matches/").json()
    assert matches[0]["id"] == fund.pk
    assert "Invests in 集成电路." in matches[0]["reasons"]
    assert any("within its range" in s for s in matches[0]["reasons"])
    assert bank.pk not in [m["id"] for m in matches[:1]]

    r = buyer.post(f"/api/v1/finance/requests/{pk}/introduce/", {"investor": fund.pk}, format="json")
    assert r.status_code == 201, r.content
    intro = r.json()
    assert (
        intro["status"] == "proposed" and intro["enterprise_consent_at"] and not intro["investor_consent_at"]
    )
    assert intro["reasons"]

    # the enterprise cannot consent for the investor
    r = buyer.post(f"/api/v1/finance/introductions/{intro['id']}/consent/", format="json")
    assert r.status_code == 400
    assert "the other side must consent" in r.json()["message"]

    assert (
        broker.post(f"/api/v1/finance/introductions/{intro['id']}/consent/", format="json").json()["status"]
        == "introduced"
    )
    r = broker.post(
        f"/api/v1/finance/introductions/{intro['id']}/advance/", {"step": "meeting"}, format="json"
    )
    assert r.json()["status"] == "meeting"
    r = broker.post(
        f"/api/v1/finance/introductions/{intro['id']}/advance/", {"step": "term_sheet"}, format="json"
    )
    assert r.status_code == 400
    assert "term sheet amount must be more than 0" in r.json()["message"]
    r = buyer.post(
        f"/api/v1/finance/introductions/{intro['id']}/advance/",
        {"step": "term_sheet", "amount": "4500000"},
        format="json",
    )
    assert r.json()["term_sheet_amount"] == "4500000.00"
    # only the investor records money invested
    r = buyer.post(
        f"/api/v1/finance/introductions/{intro['id']}/advance/",
        {"step": "invested", "amount": "4500000"},
        format="json",
    )
    assert r.status_code == 403
    r = broker.post(
        f"/api/v1/finance/introductions/{intro['id']}/advance/",
        {"step": "invested", "amount": "4500000"},
        format="json",
    )
    assert r.json()["status"] == "invested" and r.json()["amount"] == "4500000.00"
    assert FinancingRequest.objects.get(pk=pk).status == RequestStatus.FUNDED

    codes = list(
        AuditEntry.objects.filter(object_id=str(intro["id"]), action__startswith="finance.introduction.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert codes == [
        "finance.introduction.proposed",
        "finance.introduction.accepted",
        "finance.introduction.meeting_held",
        "finance.introduction.term_sheet_signed",
        "finance.introduction.invested",
    ]

    stats = official.get("/api/v1/finance/stats/").json()
    assert stats["total_amount"] == "4500000.00" and stats["count"] == 1
    assert stats["by_field"][0]["label"] == "集成电路"
    assert stats["by_district"][0]["key"] == "jiangning"
    assert stats["by_stage"][0]["key"] == "startup"
    assert stats["by_instrument"][0]["key"] == "equity"
    assert stats["median_days_to_funding"] is not None

    year = Period.year(timezone.localdate().year)
    assert registry.metric("finance.capital_raised").compute(year) == Decimal("4500000.00")
    assert registry.metric("finance.capital_raised").compute(year, district="jiangning") == Decimal(
        "4500000.00"
    )
    assert registry.metric("finance.capital_raised").compute(year, district="gulou") == Decimal("0")
    assert registry.metric("finance.financings").compute(year) == 1
    assert registry.metric("finance.days_to_funding").compute(year) is not None


def test_bad_amounts_are_refused_with_a_message(cast, as_user, investors):
    buyer = as_user(cast.buyer)
    for amount in ("-1", "100000000000000", "abc"):
        r = buyer.post("/api/v1/finance/requests/", {**REQUEST, "amount": amount}, format="json")
        assert r.status_code == 400, amount
    r = buyer.post("/api/v1/finance/requests/", {**REQUEST, "fields": ["nope"]}, format="json")
    assert r.status_code == 400
    assert "Unknown industry fields: nope" in r.content.decode()
    assert not FinancingRequest.objects.exists()


def test_business_plan_only_after_the_nda(cast, client, investors, media_root):
    req = make_request(cast, business_plan=SimpleUploadedFile("计划书.pdf", b"%PDF-1.4 plan"))
    plan = reverse("finance:plan", args=[req.pk])
    client.force_login(cast.broker)
    page = client.get(reverse("finance:request", args=[req.pk])).content.decode()
    assert "after it accepts the confidentiality agreement" in page
    assert "生产线建设" not in page
    assert client.get(plan).status_code == 403
    r = client.post(reverse("finance:nda", args=[req.pk]), follow=True)
    assert "the business plan is open to your investor" in r.content.decode()
    assert b"%PDF-1.4 plan" == client.get(plan).content
    assert "生产线建设" in client.get(reverse("finance:request", args=[req.pk])).content.decode()
    # a stranger does not even see the request, the enterprise always reads its own plan
    client.force_login(cast.stranger)
    assert client.get(reverse("finance:request", args=[req.pk])).status_code == 404
    client.force_login(cast.buyer)
    assert client.get(plan).status_code == 200


def test_the_pages_walk_the_same_path(cast, client, investors):
    fund, _bank = investors
    client.force_login(cast.buyer)
    r = client.post(
        reverse("finance:request_create"),
        {**{k: v for k, v in REQUEST.items() if k != "fields"}, "fields_": ["1"], "district": "jiangning"},
    )
    req = FinancingRequest.objects.get()
    assert r.status_code == 302
    page = client.get(reverse("finance:request", args=[req.pk])).content.decode()
    assert "示范集成电路成果转化基金" in page and "Invests in" in page
    client.post(reverse("finance:introduce", args=[req.pk]), {"investor": fund.pk})
    intro = Introduction.objects.get()
    client.force_login(cast.broker)
    r = client.post(reverse("finance:consent", args=[intro.pk]), follow=True)
    assert "the two sides are introduced" in r.content.decode()
    client.post(reverse("finance:advance", args=[intro.pk]), {"to": "meeting"})
    client.post(reverse("finance:advance", args=[intro.pk]), {"to": "term_sheet", "amount": "3000000"})
    r = client.post(reverse("finance:advance", args=[intro.pk]), {"to": "invested"}, follow=True)
    assert "The amount invested or lent must be more than 0" in r.content.decode()
    client.post(reverse("finance:advance", args=[intro.pk]), {"to": "invested", "amount": "3000000"})
    intro.refresh_from_db()
    assert intro.status == IntroStatus.INVESTED and intro.amount == Decimal("3000000.00")
    client.force_login(cast.official)
    assert 'id="total">300 10k yuan' in client.get(reverse("finance_console:stats")).content.decode()


def test_only_qualified_investors_see_requests_and_are_matched(cast, as_user):
    from techbridge.finance import services

    inv = make_investor(cast, status="submitted")
    req = make_request(cast)
    broker = as_user(cast.broker)
    assert broker.get(f"/api/v1/finance/requests/{req.pk}/").status_code == 404
    assert inv.pk not in [
        m["id"] for m in as_user(cast.buyer).get(f"/api/v1/finance/requests/{req.pk}/matches/").json()
    ]
    services.qualify_investor(inv, actor=cast.operator)
    assert broker.get(f"/api/v1/finance/requests/{req.pk}/").status_code == 200
    r = as_user(cast.operator).post(
        f"/api/v1/finance/investors/{inv.pk}/reject/", {"reason": "x"}, format="json"
    )
    assert r.status_code == 400  # a qualified investor is not "refused" afterwards
