"""A fund call runs from application through panel review to the first tranche: eligibility checks on
submission (an ineligible application keeps its data), a conflict-free panel from the shared expert
pool, scores (an expert with a conflict cannot score), the award in tranches and the first disbursement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.finance.choices import ApplicationStatus
from techbridge.finance.models import FundApplication, Tranche
from techbridge.talent.models import ExpertConflict
from techbridge.testing.factories.talent import ExpertFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(cast):
    """Two eligible experts in 集成电路, one from the applicant (excluded), one who declared a conflict
    with it (excluded), one in another field (not drawn)."""
    ok1 = ExpertFactory(user=cast.stranger, fields=("ic",))
    ok2 = ExpertFactory(user=member_of(cast.other_university, "expert2"), fields=("ic", "software"))
    insider = ExpertFactory(user=member_of(cast.enterprise, "insider"), fields=("ic",))
    conflicted = ExpertFactory(user=member_of(cast.university, "conflicted"), fields=("ic",))
    ExpertConflict.objects.create(expert=conflicted, organization=cast.enterprise, reason="曾任该企业顾问")
    other = ExpertFactory(user=member_of(cast.university, "biologist"), fields=("life-health",))
    return ok1, ok2, insider, conflicted, other


def test_call_from_application_to_first_tranche(cast, as_user, experts):
    ok1, ok2, _insider, _conflicted, _other = experts
    operator, buyer = as_user(cast.operator), as_user(cast.buyer)
    r = operator.post(
        "/api/v1/finance/funds/",
        {
            "name": "南京市科技成果转化基金（测试）",
            "sponsor": cast.service.pk,
            "size": "100000000",
            "rules": "单项资助不超过300万元，分期拨付。",
            "fields": ["ic"],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    closes = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    r = operator.post(
        "/api/v1/finance/calls/",
        {
            "fund": r.json()["id"],
            "title": "2026年度成果转化项目征集",
            "summary": "支持集成电路成果转化。",
            "closes_on": closes,
            "max_award": "3000000",
            "panel_size": 2,
        },
        format="json",
    )
    call = r.json()["id"]

    # the university's project asks too much: kept, not eligible, the failed check says why
    r = as_user(cast.researcher).post(
        f"/api/v1/finance/calls/{call}/apply/",
        {"title": "高校芯片项目", "summary": "大额申请", "amount": "5000000", "fields": ["ic"]},
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "ineligible"
    failed = [c for c in r.json()["checks"] if not c["ok"]]
    assert [c["rule"] for c in failed] == ["amount"]
    assert "at most the call's largest award of 3,000,000 yuan" in failed[0]["message"]

    r = buyer.post(
        f"/api/v1/finance/calls/{call}/apply/",
        {
            "title": "车规级功率芯片成果转化",
            "summary": "碳化硅功率芯片中试与量产。",
            "amount": "2000000",
            "fields": ["ic"],
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "eligible", r.content
    app = r.json()["id"]

    r = operator.post(f"/api/v1/finance/fund-applications/{app}/panel/", format="json")
    assert r.json()["status"] == "in_review"
    seated = {s["expert"] for s in r.json()["seats"]}
    assert seated == {ok1.pk, ok2.pk}  # not the applicant's own expert, not the conflicted one

    # the operator cannot decide before every expert scored
    r = operator.post(
        f"/api/v1/finance/fund-applications/{app}/decide/", {"award": False, "note": "x"}, format="json"
    )
    assert r.status_code == 400 and "Every expert on the panel must score" in r.json()["message"]

    # a conflict declared after the draw stops the expert from scoring
    ExpertConflict.objects.create(expert=ok2, organization=cast.enterprise, reason="新近入股")
    r = as_user(ok2.user).post(
        f"/api/v1/finance/fund-applications/{app}/score/", {"score": 90}, format="json"
    )
    assert r.status_code == 403 and "conflict of interest" in r.json()["message"]
    ExpertConflict.objects.filter(expert=ok2).delete()
    assert (
        as_user(cast.buyer)
        .post(f"/api/v1/finance/fund-applications/{app}/score/", {"score": 99}, format="json")
        .status_code
        == 403
    )
    for expert, points in ((ok1, 82), (ok2, 88)):
        r = as_user(expert.user).post(
            f"/api/v1/finance/fund-applications/{app}/score/", {"score": points}, format="json"
        )
        assert r.status_code == 200, r.content

    r = operator.post(
        f"/api/v1/finance/fund-applications/{app}/decide/",
        {
            "award": True,
            "amount": "1800000",
            "tranches": [
                {"milestone": "完成中试", "amount": "1000000"},
                {"milestone": "实现量产", "amount": "900000"},
            ],
        },
        format="json",
    )
    assert r.status_code == 400 and "add up to the award" in r.json()["message"]
    r = operator.post(
        f"/api/v1/finance/fund-applications/{app}/decide/",
        {
            "award": True,
            "amount": "1800000",
            "tranches": [
                {"milestone": "完成中试", "amount": "1000000"},
                {"milestone": "实现量产", "amount": "800000"},
            ],
        },
        format="json",
    )
    assert r.json()["status"] == "awarded" and r.json()["award_amount"] == "1800000.00"
    r = operator.post(
        f"/api/v1/finance/fund-applications/{app}/disburse/", {"number": 2, "evidence": "量产"}, format="json"
    )
    assert r.status_code == 400 and "earlier tranches first" in r.json()["message"]
    r = operator.post(
        f"/api/v1/finance/fund-applications/{app}/disburse/",
        {"number": 1, "evidence": "中试报告已验收"},
        format="json",
    )
    assert (
        r.json()["tranches"][0]["disbursed_at"] is not None
        and r.json()["tranches"][1]["disbursed_at"] is None
    )
    assert Tranche.objects.get(application_id=app, number=1).amount == Decimal("1000000.00")
    codes = list(
        AuditEntry.objects.filter(action__startswith="finance.fundapplication.", object_id=str(app))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert codes == [
        "finance.fundapplication.submitted",
        "finance.fundapplication.panel_drawn",
        "finance.fundapplication.scored",
        "finance.fundapplication.scored",
        "finance.fundapplication.awarded",
        "finance.fundapplication.tranche_disbursed",
    ]
    assert FundApplication.objects.get(title="高校芯片项目").summary == "大额申请"


def test_the_pages_show_checks_and_refuse_without_an_operator(cast, client, experts):
    from techbridge.finance import funding

    fund = funding.create_fund(
        actor=cast.operator,
        data={"name": "测试基金", "sponsor": cast.service, "size": Decimal("10000000"), "rules": "规则"},
    )
    call = funding.open_call(
        fund,
        actor=cast.operator,
        data={
            "title": "测试征集",
            "summary": "说明",
            "closes_on": timezone.localdate(),
            "max_award": Decimal("1000000"),
            "panel_size": 2,
        },
    )
    client.force_login(cast.buyer)
    assert "测试征集" in client.get(reverse("finance:calls")).content.decode()
    r = client.post(
        reverse("finance:call_apply", args=[call.pk]),
        {"title": "项目", "summary": "简介", "amount": "2000000"},
        follow=True,
    )
    page = r.content.decode()
    assert "not eligible" in page and "at most the call&#x27;s largest award" in page
    app = FundApplication.objects.get()
    assert app.status == ApplicationStatus.INELIGIBLE
    assert client.post(reverse("finance_console:fund_panel", args=[app.pk])).status_code == 403
