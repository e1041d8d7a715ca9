"""Patent navigation: staff define an industry as data, get its landscape with charts, and an exported
report (PDF with server-drawn charts, Excel with the tables) generated once in the background."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from techbridge.ipservices import landscape
from techbridge.ipservices.models import Industry, IndustryPatent, NavigationReport
from techbridge.ipservices.services import navigation
from techbridge.lib.pdf import pdf_text
from techbridge.testing.factories.ipservices import PatentFactory, make_grid_patents

pytestmark = pytest.mark.django_db


def define(client, cast, **extra):
    client.force_login(cast.reviewer)
    data = {
        "name": "智能电网",
        "code": "",
        "description": "",
        "ipc_prefixes": "H02J；G01R 31",
        "keywords": "配电网；智能电网",
        "order": 10,
        **extra,
    }
    return client.post(reverse("ipservices_console:industry_new"), data)


def test_staff_define_the_smart_grid_industry_and_its_patents_are_computed(
    client, cast, django_capture_on_commit_callbacks
):
    grid = make_grid_patents()
    with django_capture_on_commit_callbacks(execute=True):
        response = define(client, cast)
    industry = Industry.objects.get(name="智能电网")
    assert response.status_code == 302 and response["Location"] == reverse(
        "ipservices:industry", args=[industry.pk]
    )
    assert industry.prefix_list == ["H02J", "G01R 31"] and industry.membership_current
    members = set(IndustryPatent.objects.filter(industry=industry).values_list("patent_id", flat=True))
    assert members == {p.pk for p in grid}  # "G01R 310/00" is not the group G01R 31
    assert industry.code == "industry" or industry.code  # a code is made when none is given


def test_bad_definitions_are_refused_with_a_message(client, cast):
    response = define(client, cast, ipc_prefixes="H02J；不是分类号")
    assert "is not an IPC code or prefix" in response.content.decode()
    response = define(client, cast, ipc_prefixes="", keywords="")
    assert "at least one IPC code or keyword" in response.content.decode()
    assert not Industry.objects.exists()


@pytest.mark.parametrize("who", ["buyer", "official", "researcher"])
def test_only_staff_define_industries(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("ipservices_console:industry_new")).status_code == 403


def test_the_landscape_counts_by_year_ipc_applicant_region_and_nanjing(smart_grid):
    make_grid_patents()
    navigation.refresh_membership(smart_grid.pk)
    smart_grid.refresh_from_db()
    data = landscape.landscape(smart_grid, use_cache=False)
    assert data["totals"]["patents"] == 36 and data["totals"]["nanjing"] == 12
    assert data["totals"]["nanjing_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert [r["year"] for r in data["by_year"]] == list(range(2017, 2023))
    assert sum(r["filed"] for r in data["by_year"]) == 36
    assert {r["code"]: r["count"] for r in data["by_subclass"]} == {"H02J": 18, "G01R": 18}
    assert [r["name"] for r in data["top_applicants"]] == ["东南大学", "南瑞集团", "国网江苏电力"]
    assert {r["name"] for r in data["by_city"]} == {"南京", "苏州", "北京"}
    assert data["by_district"] == [{"code": "jiangning", "label": "Jiangning", "count": 12}]
    assert data["nanjing"]["city_rank"] in (1, 2, 3)
    topics = {t["term"]: t for t in data["topics"]}
    assert topics["虚拟"]["before"] == 0 and topics["虚拟"]["recent"] == 6  # jieba: 虚拟 + 电厂


def test_the_navigation_page_shows_the_landscape_with_charts_to_everyone(client, smart_grid):
    make_grid_patents()
    navigation.refresh_membership(smart_grid.pk)
    page = client.get(reverse("ipservices:industry", args=[smart_grid.pk])).content.decode()
    assert 'data-total="patents">36<' in page and "chart-years" in page and "chart.umd.min.js" in page
    assert "东南大学" in page and "Nanjing ranks" in page


def test_a_report_is_generated_once_in_the_background_and_served_to_signed_in_users(
    client, cast, smart_grid, django_capture_on_commit_callbacks
):
    make_grid_patents()
    navigation.refresh_membership(smart_grid.pk)
    client.force_login(cast.reviewer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("ipservices:report_request", args=[smart_grid.pk]))
    assert callbacks  # the task was enqueued to run after the commit
    report = NavigationReport.objects.get()
    assert report.status == "ready" and report.patent_count == 36
    assert len(report.pdf_sha256) == 64 and len(report.xlsx_sha256) == 64
    assert report.snapshot["clusters"], "clusters are part of the report"

    client.force_login(cast.buyer)
    pdf = b"".join(client.get(reverse("ipservices:report_file", args=[report.pk, "pdf"])).streaming_content)
    text = pdf_text(pdf)
    assert "智能电网" in text and "东南大学" in text
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256  # served as stored, not regenerated
    xlsx = b"".join(client.get(reverse("ipservices:report_file", args=[report.pk, "xlsx"])).streaming_content)
    wb = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert len(wb.sheetnames) >= 10
    rows = list(wb[wb.sheetnames[4]].iter_rows(values_only=True))
    assert rows[1][0] == "东南大学"

    client.logout()
    response = client.get(reverse("ipservices:report_file", args=[report.pk, "pdf"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_second_request_while_one_is_pending_returns_the_pending_one(cast, smart_grid):
    first = navigation.request_report(smart_grid, actor=cast.reviewer)
    second = navigation.request_report(smart_grid, actor=cast.operator)
    assert first.pk == second.pk and NavigationReport.objects.count() == 1


def test_the_pdf_charts_are_drawn_on_the_server(smart_grid):
    from techbridge.ipservices import reports

    make_grid_patents()
    navigation.refresh_membership(smart_grid.pk)
    images = reports.chart_images(landscape.full_snapshot(smart_grid))
    assert set(images) == {"years", "subclasses", "applicants", "provinces"}
    assert all(uri.startswith("data:image/svg+xml;base64,") for uri in images.values())


def test_spreadsheet_cells_cannot_carry_formulas():
    from techbridge.ipservices.reports import cell

    assert cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")' and cell("南京") == "南京" and cell(3) == 3


def test_editing_the_definition_recomputes_the_membership(
    client, cast, smart_grid, django_capture_on_commit_callbacks
):
    make_grid_patents()
    navigation.refresh_membership(smart_grid.pk)
    client.force_login(cast.operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("ipservices_console:industry_edit", args=[smart_grid.pk]),
            {
                "name": "智能电网",
                "code": "smart-grid",
                "ipc_prefixes": "H02J",
                "keywords": "",
                "order": 1,
                "is_base": "on",
            },
        )
    smart_grid.refresh_from_db()
    assert smart_grid.version == 2 and smart_grid.membership_current and smart_grid.member_count == 18


def test_new_patents_join_the_industries_they_belong_to(smart_grid, django_capture_on_commit_callbacks):
    from techbridge.ipservices.services.register import after_patents_changed

    patent = PatentFactory(title="一种智能电网调度系统", ipc_codes="G06Q 50/06", ipc_main="G06Q 50/06")
    with django_capture_on_commit_callbacks(execute=True):
        after_patents_changed([patent.pk], new=[])
    smart_grid.refresh_from_db()
    membership = IndustryPatent.objects.get(industry=smart_grid, patent=patent)
    assert membership.by_keyword and not membership.by_ipc and smart_grid.member_count == 1


def test_api_landscape_and_reports(client, cast, smart_grid, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    make_grid_patents()
    navigation.refresh_membership(smart_grid.pk)
    api = APIClient()
    data = api.get(reverse("api:ip-industry-landscape", args=[smart_grid.pk])).json()
    assert data["totals"]["patents"] == 36
    assert api.post(reverse("api:ip-industry-reports", args=[smart_grid.pk])).status_code in (401, 403)
    api.force_authenticate(cast.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(reverse("api:ip-industry-reports", args=[smart_grid.pk]))
    assert created.status_code == 202
    report = api.get(reverse("api:ip-report-detail", args=[created.json()["id"]])).json()
    assert report["status"] == "ready" and report["pdf_url"].endswith("/pdf/")
    response = api.post(
        reverse("api:ip-industry-list"),
        {"name": "物联网", "ipc_prefixes": ["H04W", "G08C"], "keywords": ["物联网"], "is_base": True},
        format="json",
    )
    assert response.status_code == 201 and response.json()["ipc_prefixes"] == ["H04W", "G08C"]
