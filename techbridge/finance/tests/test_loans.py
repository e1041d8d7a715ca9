"""IP-pledge loans: an enterprise applies with patents from the register (an expired or lapsed patent, or
one whose protection ends before the loan, is refused with the reason; the term left is shown), the bank
decides, registers the pledge and records repayments until the loan is repaid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.finance.choices import Instrument, InvestorKind, LoanStatus
from techbridge.finance.models import LoanApplication
from techbridge.ipservices.choices import LegalStatus
from techbridge.testing.factories.finance import ProductFactory, make_investor
from techbridge.testing.factories.ipservices import PatentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(cast):
    bank = make_investor(
        cast, name="示范银行科技支行", kind=InvestorKind.BANK, instruments=[Instrument.IP_LOAN], stages=[]
    )
    return ProductFactory(
        investor=bank,
        name="知识产权质押贷",
        instrument=Instrument.IP_LOAN,
        amount_min=Decimal("1000000"),
        amount_max=Decimal("20000000"),
    )


@pytest.fixture
def patents(cast):
    good = PatentFactory(applicant_org=cast.enterprise, grant_number="CN111111111B")
    expired = PatentFactory(
        applicant_org=cast.enterprise, legal_status=LegalStatus.EXPIRED, grant_number="CN222222222B"
    )
    today = timezone.localdate()
    short = PatentFactory(
        applicant_org=cast.enterprise,
        grant_number="CN333333333B",
        filing_date=today.replace(year=today.year - 20) + dt.timedelta(days=100),
    )
    return good, expired, short


def _apply(client, product, patents, **extra):
    body = {
        "product": product.pk,
        "amount": "5000000",
        "term_months": 12,
        "purpose": "扩充产能",
        "patents": [p.pk for p in patents],
        **extra,
    }
    return client.post("/api/v1/finance/loans/", body, format="json")


def test_expired_and_short_patents_are_refused_with_the_reason(cast, as_user, product, patents):
    good, expired, short = patents
    buyer = as_user(cast.buyer)
    r = _apply(buyer, product, [good, expired])
    assert r.status_code == 400
    assert "Patent CN222222222B is Expired and cannot be pledged." in r.json()["errors"]["patents"]
    r = _apply(buyer, product, [short])
    assert r.status_code == 400
    assert "Patent CN333333333B is protected for" in r.json()["errors"]["patents"][0]
    assert "less than the loan's term of 12 months" in r.json()["errors"]["patents"][0]
    r = _apply(buyer, product, [good], amount="-5")
    assert r.status_code == 400
    r = _apply(buyer, product, [good], amount="500000000")
    assert r.status_code == 400
    assert not LoanApplication.objects.exists()


def test_apply_decide_register_repay(cast, as_user, client, product, patents):
    good = patents[0]
    buyer, bank = as_user(cast.buyer), as_user(cast.broker)
    r = _apply(buyer, product, [good])
    assert r.status_code == 201, r.content
    loan = r.json()
    assert loan["status"] == "submitted"
    assert loan["patents"][0]["legal_status"] == "granted" and loan["patents"][0]["days_left"] > 3000

    # the applicant cannot decide its own loan
    assert (
        buyer.post(
            f"/api/v1/finance/loans/{loan['id']}/decide/", {"approve": True}, format="json"
        ).status_code
        == 403
    )
    r = bank.post(
        f"/api/v1/finance/loans/{loan['id']}/decide/", {"approve": True, "amount": "4000000"}, format="json"
    )
    assert r.json()["status"] == "approved" and r.json()["approved_amount"] == "4000000.00"
    r = bank.post(
        f"/api/v1/finance/loans/{loan['id']}/register/", {"number": "Y2026320000123"}, format="json"
    )
    assert r.json()["status"] == "registered" and r.json()["outstanding"] == "4000000.00"
    r = bank.post(f"/api/v1/finance/loans/{loan['id']}/repay/", {"amount": "5000000"}, format="json")
    assert r.status_code == 400
    assert "more than what is outstanding" in r.content.decode()
    r = bank.post(f"/api/v1/finance/loans/{loan['id']}/repay/", {"amount": "1500000"}, format="json")
    assert r.json()["outstanding"] == "2500000.00" and r.json()["status"] == "registered"
    r = bank.post(f"/api/v1/finance/loans/{loan['id']}/repay/", {"amount": "2500000"}, format="json")
    assert r.json()["status"] == "repaid" and r.json()["outstanding"] == "0.00"
    codes = list(
        AuditEntry.objects.filter(action__startswith="finance.loanapplication.").values_list(
            "action", flat=True
        )
    )
    assert codes.count("finance.loanapplication.repayment_recorded") == 2
    assert "finance.loanapplication.pledge_registered" in codes

    client.force_login(cast.buyer)
    page = client.get(reverse("finance:loan", args=[loan["id"]])).content.decode()
    assert "CN111111111B" in page and 'id="loan-status">Repaid' in page


def test_the_pages_apply_and_refuse(cast, client, product, patents):
    good, expired, _short = patents
    client.force_login(cast.buyer)
    r = client.post(
        reverse("finance:loan_apply"),
        {
            "product": product.pk,
            "amount": "3000000",
            "term_months": "24",
            "purpose": "研发投入",
            "patents": [good.pk, expired.pk],
        },
    )
    assert "Patent CN222222222B is Expired and cannot be pledged." in r.content.decode()
    r = client.post(
        reverse("finance:loan_apply"),
        {
            "product": product.pk,
            "amount": "3000000",
            "term_months": "24",
            "purpose": "研发投入",
            "patents": [good.pk],
        },
    )
    loan = LoanApplication.objects.get()
    assert r.status_code == 302 and loan.status == LoanStatus.SUBMITTED
    client.force_login(cast.broker)
    r = client.post(reverse("finance:loan_decide", args=[loan.pk]), {"approve": "0"}, follow=True)
    assert "Say why the loan is refused." in r.content.decode()
    client.post(reverse("finance:loan_decide", args=[loan.pk]), {"approve": "0", "note": "质押物价值不足"})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REFUSED and loan.decision_note == "质押物价值不足"
