"""Enterprises: designations (and the 200 counter), imported lists, R&D input, projects, alliances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from techbridge.carriers import services
from techbridge.carriers.choices import DesignationKind, ProjectStatus
from techbridge.carriers.importing import DesignationImporter
from techbridge.carriers.models import Alliance, AllianceMember, Designation, Project, RdInput
from techbridge.carriers.queries import rd_input_stats
from techbridge.core import registry
from techbridge.core.registry import Period
from techbridge.core.workflow import Source
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.testing.factories.carriers import DesignationFactory

pytestmark = pytest.mark.django_db


def _enterprise(name: str, **extra) -> Organization:
    return Organization.objects.create(name=name, kind=OrgKind.ENTERPRISE, status=OrgStatus.APPROVED, **extra)


def test_a_designated_enterprise_appears_in_the_200_counter(client, cast, zones):
    counter = next(c for c in registry.counters if c.key == "enterprises.demonstration")
    assert counter.count() == 0
    client.force_login(cast.reviewer)
    r = client.post(
        reverse("carriers_console:designation_create"),
        {
            "organization": "示范企业有限公司",
            "kind": DesignationKind.DEMONSTRATION,
            "year": "2019",
            "granted_on": "2019-11-20",
            "issuer": "南京市科学技术局",
            "certificate_no": "宁科〔2019〕123号",
            "evidence": "第二批南京市产学研合作示范企业名单",
        },
    )
    assert r.status_code == 302
    assert counter.count() == 1
    home = client.get(reverse("portal:home")).content.decode()
    assert 'data-figure="enterprises.demonstration"' in home
    metric = registry.metric("enterprises.demonstration")
    assert metric.compute(Period.year(2019)) == 1 and metric.compute(Period.year(2018)) == 0
    assert metric.compute(Period.year(2020), district="jiangning") == 1
    assert metric.compute(Period.year(2020), district="gulou") == 0
    # The public list and the organisation's page show it.
    client.logout()
    assert "示范企业有限公司" in client.get(reverse("carriers:designations")).content.decode()
    org_page = client.get(reverse("organizations:detail", args=[cast.enterprise.pk])).content.decode()
    assert "carriers-panel" in org_page


def test_designations_are_for_enterprises_once_a_year_and_expire_or_are_revoked(cast):
    data = {
        "kind": DesignationKind.HIGH_TECH,
        "year": 2021,
        "granted_on": dt.date(2021, 12, 15),
        "evidence": "公示名单",
    }
    with pytest.raises(ValidationError):
        services.record_designation(cast.university, actor=cast.reviewer, data=data)
    with pytest.raises(PermissionDenied):
        services.record_designation(cast.enterprise, actor=cast.buyer, data=data)
    d = services.record_designation(cast.enterprise, actor=cast.reviewer, data=data)
    assert d.valid_until == dt.date(2024, 12, 14)  # 高新技术企业: three years
    with pytest.raises(ValidationError):
        services.record_designation(cast.enterprise, actor=cast.reviewer, data=data)
    metric = registry.metric("enterprises.high_tech")
    assert metric.compute(Period.year(2022)) == 1
    assert metric.compute(Period.year(2025)) == 0  # expired
    services.revoke_designation(d, actor=cast.operator, reason="复核不合格", on=dt.date(2022, 6, 1))
    assert metric.compute(Period.year(2021)) == 1 and metric.compute(Period.year(2022)) == 0


def test_designations_are_imported_from_a_list(cast, zones):
    other = _enterprise("南京紫金纳米科技有限公司")
    rows = [
        (
            2,
            {
                "企业名称": "示范企业有限公司",
                "称号": "产学研合作示范企业",
                "年度": "2019",
                "认定日期": "2019年11月20日",
                "依据": "宁科〔2019〕123号",
            },
        ),
        (
            3,
            {
                "企业名称": other.name,
                "称号": "高企",
                "年度": 2020,
                "认定日期": "2020-12-02",
                "依据": "苏高企〔2020〕8号",
            },
        ),
        (
            4,
            {
                "企业名称": "不存在的公司",
                "称号": "高新技术企业",
                "年度": "2020",
                "认定日期": "2020-12-02",
                "依据": "x",
            },
        ),
        (
            5,
            {
                "企业名称": other.name,
                "称号": "明星企业",
                "年度": "2020",
                "认定日期": "2020-12-02",
                "依据": "x",
            },
        ),
        (
            6,
            {
                "企业名称": "示范大学",
                "称号": "高新技术企业",
                "年度": "2020",
                "认定日期": "2020-12-02",
                "依据": "x",
            },
        ),
    ]
    report = DesignationImporter(source=Source.MANUAL, actor=cast.reviewer).run(rows)
    assert (report.created, len(report.refused)) == (2, 3)
    reasons = {r.line: r.reason for r in report.refused}
    assert "不存在的公司" in reasons[4] and "明星企业" in reasons[5]
    high_tech = Designation.objects.get(organization=other)
    assert high_tech.kind == DesignationKind.HIGH_TECH and high_tech.valid_until == dt.date(2023, 12, 1)
    again = DesignationImporter(source=Source.MANUAL, actor=cast.reviewer).run(rows[:2])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert registry.metric("enterprises.demonstration").compute(Period.year(2020)) == 1


def test_rd_input_is_reported_by_the_enterprise_and_summed_by_district_and_zone(
    client, cast, enterprise_admin, zones
):
    Organization.objects.filter(pk=cast.enterprise.pk).update(zone=zones["park"])
    client.force_login(enterprise_admin)
    data = {
        "year": "2024",
        "rd_expenditure": "3200000",
        "revenue": "80000000",
        "rd_staff": "42",
        "staff_total": "310",
        "cooperation_spend": "600000",
        "note": "",
    }
    assert client.post(reverse("carriers:rd_input"), data).status_code == 302
    row = RdInput.objects.get(organization=cast.enterprise, year=2024)
    assert row.intensity == Decimal("4.00")
    client.post(reverse("carriers:rd_input"), {**data, "rd_expenditure": "3600000"})
    assert RdInput.objects.get(pk=row.pk).rd_expenditure == Decimal("3600000")
    bad = client.post(reverse("carriers:rd_input"), {**data, "rd_staff": "400"})
    assert bad.status_code == 200
    assert RdInput.objects.get(pk=row.pk).rd_staff == 42  # nothing saved
    stats = rd_input_stats(2024, zone="hitech")  # the park belongs to the High-tech Zone
    assert stats["total"]["n"] == 1 and stats["total"]["rd"] == Decimal("3600000")
    assert rd_input_stats(2024, zone="jiangbei")["total"]["n"] == 0
    # Members of other organisations see nothing of it.
    client.force_login(cast.researcher)
    assert client.get(reverse("carriers:rd_input")).status_code == 403
    client.force_login(cast.official)
    assert (
        "示范企业有限公司" in client.get(reverse("carriers_console:rd_input") + "?year=2024").content.decode()
    )


def test_a_project_with_parties_milestones_and_steps(client, cast):
    client.force_login(cast.researcher)
    r = client.post(
        reverse("carriers:project_create"),
        {
            "title": "面向新能源汽车的固态电池隔膜产学研合作",
            "kind": "collaboration",
            "summary": "示范大学与示范企业联合攻关。",
            "starts_on": "2025-01-01",
            "ends_on": "2026-12-31",
            "budget": "5000000",
            "public_funding": "1000000",
            "universities": "",
            "enterprises": "示范企业有限公司",
            "others": "",
            "district": "gulou",
            "zone": "",
            "outputs": "",
            "achievements": "",
            "contracts": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    project = Project.objects.get(title__startswith="面向新能源汽车")
    assert {(p.organization.name, p.role) for p in project.parties.select_related("organization")} == {
        ("示范大学", "lead"),
        ("示范企业有限公司", "enterprise"),
    }
    client.post(
        reverse("carriers:milestone_add", args=[project.pk]), {"title": "完成中试", "due_on": "2025-09-30"}
    )
    milestone = project.milestones.get()
    client.post(reverse("carriers:project_move", args=[project.pk]), {"to": "ongoing"})
    client.post(reverse("carriers:milestone_done", args=[milestone.pk]))
    project.refresh_from_db()
    milestone.refresh_from_db()
    assert project.status == ProjectStatus.ONGOING and milestone.done_on is not None
    # The enterprise (a party) reads it, cannot change it; a stranger does not find it.
    client.force_login(cast.buyer)
    assert "完成中试" in client.get(reverse("carriers:project", args=[project.pk])).content.decode()
    assert (
        client.post(reverse("carriers:project_move", args=[project.pk]), {"to": "completed"}).status_code
        == 403
    )
    client.force_login(cast.stranger)
    assert client.get(reverse("carriers:project", args=[project.pk])).status_code == 404
    # Funding above the budget is refused with the field named.
    with pytest.raises(ValidationError) as exc:
        services.update_project(project, actor=cast.researcher, data={"public_funding": Decimal("9000000")})
    assert "public_funding" in exc.value.message_dict


def test_an_alliance_lists_its_members(client, cast):
    client.force_login(cast.operator)
    r = client.post(
        reverse("carriers_console:alliance_create"),
        {
            "name": "南京集成电路产业技术创新联盟",
            "lead": "示范大学",
            "founded_on": "2018-04-20",
            "fields": "ic",
            "description": "由高校、企业共同发起。",
            "website": "",
            "district": "",
            "zone": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    alliance = Alliance.objects.get(name="南京集成电路产业技术创新联盟")
    client.force_login(cast.univ_admin)  # the lead's admin keeps the members
    client.post(
        reverse("carriers:member_add", args=[alliance.pk]),
        {"organization": "示范企业有限公司", "role": "vice_chair", "joined_on": "2018-04-20"},
    )
    client.post(
        reverse("carriers:member_add", args=[alliance.pk]),
        {"organization": "示范技术转移中心", "role": "member", "joined_on": "2019-01-10"},
    )
    client.logout()
    page = client.get(reverse("carriers:alliance", args=[alliance.pk])).content.decode()
    assert all(name in page for name in ("示范大学", "示范企业有限公司", "示范技术转移中心"))
    member = AllianceMember.objects.get(alliance=alliance, organization=cast.service)
    client.force_login(cast.univ_admin)
    client.post(reverse("carriers:member_leave", args=[member.pk]))
    client.logout()
    page = client.get(reverse("carriers:alliance", args=[alliance.pk])).content.decode()
    assert "示范技术转移中心" not in page
    api = client.get(f"/api/v1/enterprises/alliances/{alliance.pk}/").json()
    assert [m["organization"]["name"] for m in api["members"]] == ["示范大学", "示范企业有限公司"]
    # The lead cannot leave; another organisation cannot add members.
    lead = AllianceMember.objects.get(alliance=alliance, organization=cast.university)
    with pytest.raises(ValidationError):
        services.remove_member(lead, actor=cast.operator)
    with pytest.raises(PermissionDenied):
        services.add_member(
            alliance,
            actor=cast.buyer,
            organization=cast.enterprise,
            role="member",
            joined_on=dt.date(2020, 1, 1),
        )


def test_designation_list_pins_its_queries(client, cast, pinned_queries):
    for n in range(25):
        DesignationFactory(organization=_enterprise(f"示范企业{n:02d}"))
    with pinned_queries("page"):
        r = client.get(reverse("carriers:designations"))
    assert len(r.context["page"]) == 20
    with pinned_queries("api"):
        assert client.get("/api/v1/enterprises/designations/").json()["count"] == 25


def test_an_operator_imports_a_designation_list_through_the_import_console(
    client, cast, settings, tmp_path, monkeypatch
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook, load_workbook

    from techbridge.imports import batches, views
    from techbridge.imports.models import ImportBatch

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))
    monkeypatch.setattr(views, "enqueue", lambda task, *args: task(*args))
    client.force_login(cast.operator)
    ns = "imports_console"
    template = client.get(reverse(f"{ns}:template", args=["designations"]))
    headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))]
    assert headers[:3] == ["企业名称*", "统一社会信用代码", "称号*"]
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称", "称号", "年度", "认定日期", "依据"])
    ws.append(["示范企业有限公司", "产学研合作示范企业", 2020, "2020-11-30", "宁科〔2020〕88号"])
    ws.append(["示范大学", "产学研合作示范企业", 2020, "2020-11-30", "宁科〔2020〕88号"])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post(
        reverse(f"{ns}:list"),
        {"kind": "designations", "source": "manual", "file": SimpleUploadedFile("名单.xlsx", buf.getvalue())},
    )
    batch = ImportBatch.objects.latest("pk")
    assert r.status_code == 302 and (batch.preview["created"], batch.preview["refused"]) == (1, 1)
    client.post(reverse(f"{ns}:confirm", args=[batch.pk]))
    assert Designation.objects.get().organization == cast.enterprise
    assert registry.metric("enterprises.demonstration").compute(Period.year(2021)) == 1
