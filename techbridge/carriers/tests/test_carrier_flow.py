"""A maker space registers, is approved, files its annual report and gets its evaluation — in the
pages and through the API; recognition counts toward the plan's targets from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from techbridge.carriers import services
from techbridge.carriers.choices import CarrierKind, CarrierStatus, Grade, Level, ReportStatus
from techbridge.carriers.models import AnnualReport, Carrier, Evaluation, IncubatedFirm
from techbridge.core import registry
from techbridge.core.models import AuditEntry
from techbridge.core.registry import Period
from techbridge.core.workflow import TransitionError
from techbridge.testing.factories.carriers import CarrierFactory, make_carrier

pytestmark = pytest.mark.django_db

INDICATORS = {
    "firms_incubated": "48",
    "firms_new": "15",
    "firms_graduated": "12",
    "achievements_transferred": "6",
    "revenue": "150000000",
    "jobs": "520",
    "investment": "30000000",
    "patents_granted": "21",
    "events_held": "30",
}


def _register_form(**extra: str) -> dict[str, str]:
    data = {
        "name": "江北新区紫金众创空间",
        "kind": CarrierKind.MAKER_SPACE,
        "fields": "ic",
        "services": "联合办公、共享实验室、创业导师、投融资对接",
        "level": Level.PROVINCIAL,
        "recognised_on": "2019-06-18",
        "recognised_by": "江苏省科学技术厅",
        "certificate_no": "苏科高发〔2019〕118号",
        "hosts": "示范企业有限公司",
        "district": "pukou",
        "zone": "jiangbei",
        "address": "南京市浦口区",
        "website": "",
        "contact_name": "王管理",
        "contact_phone": "025-12345678",
    }
    data.update(extra)
    return data


def test_maker_space_registers_is_approved_files_its_report_and_gets_its_evaluation(client, cast, zones):
    client.force_login(cast.univ_admin)
    r = client.post(reverse("carriers:create"), {**_register_form(), "and_submit": "1"})
    carrier = Carrier.objects.get(name="江北新区紫金众创空间")
    assert r.status_code == 302 and carrier.status == CarrierStatus.SUBMITTED
    assert carrier.operator == cast.university and carrier.zone == zones["jiangbei"]
    assert [h.name for h in carrier.hosts.all()] == ["示范企业有限公司"]
    assert registry.metric("carriers.maker_spaces").compute(Period.year(2024)) == 0  # not approved yet
    # Not public while under review.
    client.logout()
    assert client.get(reverse("carriers:detail", args=[carrier.pk])).status_code == 404

    client.force_login(cast.reviewer)
    queue = client.get(reverse("carriers_console:home")).content.decode()
    assert "江北新区紫金众创空间" in queue
    client.post(reverse("carriers_console:carrier", args=[carrier.pk]), {"decision": "approve"})
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.APPROVED and carrier.approved_by == cast.reviewer
    metric = registry.metric("carriers.maker_spaces")
    assert metric.compute(Period.year(2024)) == 1
    assert metric.compute(Period.year(2018)) == 0  # recognised in 2019
    assert metric.compute(Period.year(2024), zone="jiangbei") == 1
    assert metric.compute(Period.year(2024), district="gulou") == 0

    client.logout()
    page = client.get(reverse("carriers:list")).content.decode()
    assert "江北新区紫金众创空间" in page

    # The annual report: a draft, then submitted with every indicator.
    client.force_login(cast.univ_admin)
    r = client.post(reverse("carriers:report_create", args=[carrier.pk]), {"year": "2024", **INDICATORS})
    report = AnnualReport.objects.get(carrier=carrier, year=2024)
    assert r.status_code == 302 and report.status == ReportStatus.DRAFT
    client.post(reverse("carriers:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    client.force_login(cast.reviewer)
    client.post(reverse("carriers_console:report", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    evaluation = Evaluation.objects.get(report=report)
    # Default formula v1 (incubation): every input is shown and the score is their sum.
    terms = {t["code"]: t for t in evaluation.inputs}
    assert terms["firms_incubated"] == {
        "code": "firms_incubated",
        "label": terms["firms_incubated"]["label"],
        "value": "48",
        "benchmark": "50",
        "weight": "20",
        "ratio": "0.9600",
        "points": "19.20",
    }
    assert terms["investment"]["points"] == "9.00"  # 3000万 of a 5000万 benchmark, weight 15
    assert evaluation.score == sum(Decimal(t["points"]) for t in evaluation.inputs)
    assert evaluation.score == Decimal("85.20") and evaluation.grade == Grade.EXCELLENT

    client.force_login(cast.univ_admin)
    page = client.get(reverse("carriers:report", args=[report.pk])).content.decode()
    assert "85.20" in page and "0.9600" in page and "19.20" in page
    assert AuditEntry.objects.filter(action="carriers.evaluation.issued", object_id=str(report.pk)).exists()


def test_a_report_is_submitted_only_with_every_indicator_and_returned_with_a_reason(cast):
    carrier = make_carrier(cast.university, created_by=cast.researcher)
    report = services.start_report(carrier, actor=cast.researcher, year=2024, data={"firms_incubated": 3})
    with pytest.raises(ValidationError) as exc:
        services.submit_report(report, actor=cast.researcher)
    assert "毕业" in str(exc.value) or "graduated" in str(exc.value).lower()
    # An indicator of another family is refused.
    with pytest.raises(ValidationError):
        services.update_report(report, actor=cast.researcher, data={"rd_staff": 4})
    services.update_report(
        report, actor=cast.researcher, data={k: int(Decimal(v)) for k, v in INDICATORS.items()}
    )
    services.submit_report(report, actor=cast.researcher)
    with pytest.raises(ValidationError):
        services.return_report(report, actor=cast.reviewer, reason=" ")
    services.return_report(report, actor=cast.reviewer, reason="在孵企业数与入驻记录不一致，请核对。")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.editable
    # Another organisation cannot touch it; a second report for the year is refused.
    with pytest.raises(PermissionDenied):
        services.update_report(report, actor=cast.stranger, data={"jobs": 1})
    with pytest.raises(ValidationError) as dup:
        services.start_report(carrier, actor=cast.researcher, year=2024)
    assert "2024" in str(dup.value)


def test_changing_the_recognition_of_an_approved_carrier_sends_it_back_to_review(cast):
    carrier = make_carrier(cast.university, created_by=cast.researcher)
    services.update_carrier(carrier, actor=cast.researcher, data={"services": "新增中试平台"})
    assert Carrier.objects.get(pk=carrier.pk).status == CarrierStatus.APPROVED
    services.update_carrier(carrier, actor=cast.researcher, data={"level": Level.NATIONAL})
    assert Carrier.objects.get(pk=carrier.pk).status == CarrierStatus.SUBMITTED


def test_a_revoked_carrier_counts_until_its_revocation(cast):
    carrier = make_carrier(
        cast.university,
        kind=CarrierKind.RD_INSTITUTION,
        level=Level.MUNICIPAL,
        recognised_on=dt.date(2018, 3, 1),
    )
    metric = registry.metric("carriers.new_rd_institutions")
    assert metric.compute(Period.year(2020)) == 1
    services.revoke_carrier(
        carrier, actor=cast.reviewer, reason="评估不合格，撤销认定", on=dt.date(2021, 5, 1)
    )
    assert metric.compute(Period.year(2020)) == 1
    assert metric.compute(Period.year(2021)) == 0
    services.reinstate_carrier(carrier, actor=cast.reviewer)
    assert metric.compute(Period.year(2021)) == 1


def test_recognition_needs_a_date_and_a_level(cast):
    with pytest.raises(ValidationError) as exc:
        services.register_carrier(
            actor=cast.researcher,
            data={"name": "无日期空间", "kind": CarrierKind.MAKER_SPACE, "level": Level.PROVINCIAL},
        )
    assert "recognised_on" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.register_carrier(
            actor=cast.reviewer, data={"name": "审核员的空间", "kind": CarrierKind.MAKER_SPACE}
        )


def test_firms_are_admitted_and_graduate_and_the_report_shows_the_records(client, cast):
    carrier = make_carrier(cast.university, created_by=cast.researcher)
    client.force_login(cast.researcher)
    r = client.post(
        reverse("carriers:firms", args=[carrier.pk]),
        {
            "name": "南京芯视界微电子有限公司",
            "credit_code": "",
            "field": "ic",
            "entered_on": "2023-03-01",
            "note": "",
        },
    )
    assert r.status_code == 302
    firm = IncubatedFirm.objects.get(name="南京芯视界微电子有限公司")
    client.post(reverse("carriers:firm_close", args=[firm.pk]), {"outcome": "graduated", "on": "2024-09-30"})
    firm.refresh_from_db()
    assert firm.status == "graduated" and firm.graduated_on == dt.date(2024, 9, 30)
    bad = client.post(
        reverse("carriers:firms", args=[carrier.pk]), {"name": "未来企业", "entered_on": "2999-01-01"}
    )
    assert bad.status_code == 200 and not IncubatedFirm.objects.filter(name="未来企业").exists()
    assert services.firms_on_record(carrier, 2024) == {
        "firms_incubated": 0,
        "firms_new": 0,
        "firms_graduated": 1,
    }
    assert services.firms_on_record(carrier, 2023) == {
        "firms_incubated": 1,
        "firms_new": 1,
        "firms_graduated": 0,
    }
    # Someone else's carrier: refused.
    client.force_login(cast.stranger)
    assert (
        client.post(
            reverse("carriers:firm_close", args=[firm.pk]), {"outcome": "left", "on": "2024-10-01"}
        ).status_code
        == 403
    )


def test_the_api_runs_the_same_path(api, cast):
    api.force_authenticate(cast.univ_admin)
    r = api.post(
        "/api/v1/carriers/",
        {
            "name": "鼓楼大学科技园",
            "kind": "science_park",
            "level": "national",
            "recognised_on": "2017-12-01",
            "recognised_by": "科技部 教育部",
            "district": "gulou",
            "fields": ["ic"],
            "hosts": [cast.enterprise.pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["hosts"][0]["name"] == "示范企业有限公司"
    assert api.post(f"/api/v1/carriers/{pk}/submit/").json()["status"] == "submitted"
    # Unknown keys and unbounded input are refused.
    assert api.patch(f"/api/v1/carriers/{pk}/", {"status": "approved"}, format="json").status_code == 400
    assert api.patch(f"/api/v1/carriers/{pk}/", {"services": "x" * 3001}, format="json").status_code == 400
    api.force_authenticate(cast.univ_admin)
    assert api.post(f"/api/v1/carriers/{pk}/approve/").status_code == 403
    api.force_authenticate(cast.reviewer)
    assert api.post(f"/api/v1/carriers/{pk}/approve/").json()["status"] == "approved"
    assert (
        registry.metric("carriers.university_science_parks").compute(Period.year(2020), district="gulou") == 1
    )

    api.force_authenticate(cast.univ_admin)
    r = api.post("/api/v1/carriers/reports/", {"carrier": pk, "year": 2024, **INDICATORS}, format="json")
    assert r.status_code == 201, r.json()
    report = r.json()["id"]
    assert api.post(f"/api/v1/carriers/reports/{report}/submit/").json()["status"] == "submitted"
    api.force_authenticate(cast.reviewer)
    body = api.post(f"/api/v1/carriers/reports/{report}/accept/").json()
    assert body["status"] == "accepted" and body["evaluations"][0]["version"] == 1
    assert Decimal(body["evaluations"][0]["score"]) > 0 and len(body["evaluations"][0]["inputs"]) == 9
    # The stranger sees neither the report nor its evaluation.
    api.force_authenticate(cast.stranger)
    assert api.get(f"/api/v1/carriers/reports/{report}/").status_code == 404
    assert api.get("/api/v1/carriers/reports/").json()["count"] == 0


def test_a_new_formula_version_keeps_earlier_evaluations(client, cast):
    carrier = make_carrier(cast.university, created_by=cast.researcher)
    report = services.start_report(
        carrier, actor=cast.researcher, year=2024, data={k: int(Decimal(v)) for k, v in INDICATORS.items()}
    )
    services.submit_report(report, actor=cast.researcher)
    first = services.accept_report(report, actor=cast.reviewer)
    assert first is not None

    client.force_login(cast.operator)
    weights = {"w_firms_incubated": "50", "b_firms_incubated": "100", "w_jobs": "50", "b_jobs": "1000"}
    bad = client.post(
        reverse("carriers_console:formula_create") + "?family=incubation",
        {
            "title": "第2版",
            "excellent_from": "85",
            "good_from": "70",
            "pass_from": "60",
            "w_firms_incubated": "50",
            "b_firms_incubated": "100",
        },
    )
    assert bad.status_code == 200 and "100" in bad.content.decode()  # weights must add up to 100
    r = client.post(
        reverse("carriers_console:formula_create") + "?family=incubation",
        {"title": "第2版", "excellent_from": "85", "good_from": "70", "pass_from": "60", **weights},
    )
    assert r.status_code == 302
    from techbridge.carriers.models import EvaluationFormula

    v2 = EvaluationFormula.objects.get(family="incubation", version=2)
    assert v2.status == "draft"
    with pytest.raises(TransitionError):
        services.evaluate_report(report, actor=cast.reviewer, formula=v2)
    client.post(reverse("carriers_console:formula", args=[v2.pk]))
    v2.refresh_from_db()
    assert v2.status == "active"
    assert EvaluationFormula.objects.get(family="incubation", version=1).status == "retired"

    second = services.evaluate_report(report, actor=cast.reviewer)
    first.refresh_from_db()
    assert second.formula == v2 and first.formula.version == 1
    assert second.score == Decimal("50.00")  # 48/100 × 50 + 520/1000 × 50 = 24 + 26
    assert first.score == Decimal("85.20")
    assert services.evaluate_report(report, actor=cast.reviewer) == second  # idempotent


def test_carrier_list_pins_its_queries(client, cast, pinned_queries):
    for _n in range(25):
        make_carrier(cast.university)
    CarrierFactory(operator=cast.university)  # a draft is not listed
    with pinned_queries("page"):
        r = client.get(reverse("carriers:list"))
    assert len(r.context["page"]) == 20 and r.context["page"].paginator.count == 25
    with pinned_queries("api"):
        r = client.get("/api/v1/carriers/")
    assert r.json()["count"] == 25
