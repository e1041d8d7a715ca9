"""The task-15 talent register: an Excel import with a per-row report through the import console, and
the plan's figures counted from it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIClient

from techbridge.core.registry import Period, metric, metrics
from techbridge.imports import sample_files
from techbridge.imports.models import ImportBatch
from techbridge.imports.readers import read_rows
from techbridge.imports.registry import import_kind
from techbridge.organizations.models import Zone
from techbridge.talent import services
from techbridge.talent.models import TalentEntry

HEADERS = ["计划名称*", "类别*", "年度*", "姓名*", "单位", "统一社会信用代码", "行业领域", "编号", "备注"]


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("人才名册.xlsx", buf.getvalue())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def _imports_run_at_once(monkeypatch):
    """The import's check and run happen at once, as on the embedded default after a real commit."""
    from techbridge.imports import batches, views

    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))
    monkeypatch.setattr(views, "enqueue", lambda task, *args: task(*args))


def _rows(cast):
    year = timezone.localdate().year
    return [
        [
            "创业南京英才计划",
            "高层次创业人才",
            year,
            "张明",
            cast.enterprise.name,
            "",
            "新能源汽车",
            "CY-1",
            "",
        ],
        ["创业南京英才计划", "青年大学生创业", f"{year}年", "李华", "未注册的初创公司", "", "", "CY-2", ""],
        ["创业南京英才计划", "神仙", year, "王五", "", "", "", "CY-3", ""],  # unknown category
        ["创业南京英才计划", "科技顶尖专家", "明年", "赵六", "", "", "", "CY-4", ""],  # not a year
        ["", "创新型企业家", year, "孙七", "", "", "", "CY-5", ""],  # no programme
        [
            "创业南京英才计划",
            "创新型企业家",
            year,
            "周八",
            "",
            "91320115MA1MXXXX9",
            "",
            "CY-6",
            "",
        ],  # bad code
    ]


def test_import_keeps_good_rows_and_reports_bad_ones_with_lines(cast, client, _imports_run_at_once):
    client.force_login(cast.operator)
    ns = "imports_console"
    client.post(
        reverse(f"{ns}:list"), {"kind": "talent_register", "source": "manual", "file": _xlsx(_rows(cast))}
    )
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportBatch.Status.PREVIEWED and not TalentEntry.objects.exists()
    assert (batch.preview["created"], batch.preview["refused"]) == (2, 4)
    assert [r["line"] for r in batch.preview["refused_rows"]] == [4, 5, 6, 7]
    client.post(reverse(f"{ns}:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.refused_count) == (ImportBatch.Status.FINISHED, 2, 4)
    zhang = TalentEntry.objects.get(person_name="张明")
    assert zhang.organization == cast.enterprise and zhang.field.code == "nev"
    assert TalentEntry.objects.get(person_name="李华").organization is None
    # The same file again changes nothing.
    client.post(
        reverse(f"{ns}:list"), {"kind": "talent_register", "source": "manual", "file": _xlsx(_rows(cast))}
    )
    again = ImportBatch.objects.latest("pk")
    assert (again.preview["created"], again.preview["unchanged"]) == (0, 2)


def test_the_template_is_understood_by_the_importer(db, tmp_path):
    path = tmp_path / "talent.xlsx"
    path.write_bytes(sample_files.template_workbook("talent_register"))
    importer = import_kind("talent_register").importer(source="manual")
    report = importer.validate(read_rows(path))
    assert report.ignored_columns == set() and report.created == 1


def test_the_five_metrics_are_registered_with_their_codes():
    codes = {m.code for m in metrics}
    assert {
        "institutions.demonstration",
        "talent.trained_staff",
        "talent.top_experts",
        "talent.innovative_entrepreneurs",
        "talent.high_level_founders",
        "talent.student_founders",
    } <= codes


def test_talent_figures_count_entries_of_the_period_by_place(cast):
    m = metric("talent.high_level_founders")
    assert m.compute(Period.year(2026)) is None and not m.cumulative  # no register at all
    for year, org in ((2025, cast.enterprise), (2026, cast.enterprise), (2026, None)):
        services.save_entry(
            actor=cast.reviewer,
            data={
                "programme": "创业南京英才计划",
                "category": "high_level_founder",
                "year": year,
                "person_name": f"创业者{year}{org is not None}",
                "organization": org,
                "organization_name": "" if org else "外地公司",
            },
        )
    assert m.compute(Period.year(2026)) == 2
    assert m.compute(Period(dt.date(2025, 1, 1), dt.date(2026, 12, 31))) == 3
    assert m.compute(Period.year(2026), district=cast.enterprise.district) == 1
    assert metric("talent.student_founders").compute(Period.year(2026)) == 0
    zone = Zone.objects.first()
    if zone is not None:
        assert m.compute(Period.year(2026), zone=zone) == 0


def test_register_pages_and_api_are_for_the_console(client, cast):
    services.save_entry(
        actor=cast.operator,
        data={
            "programme": "创业南京英才计划",
            "category": "top_expert",
            "year": 2026,
            "person_name": "吴专家",
        },
    )
    client.force_login(cast.official)
    assert "吴专家" in client.get(reverse("talent_console:register")).content.decode()
    api = APIClient()
    api.force_authenticate(cast.official)
    assert (
        api.get("/api/v1/talent/register/?category=top_expert").json()["results"][0]["person_name"]
        == "吴专家"
    )
    assert api.get("/api/v1/talent/register/?category=wizard").status_code == 400
    assert api.post("/api/v1/talent/register/", {}, format="json").status_code == 403
    api.force_authenticate(cast.buyer)
    assert api.get("/api/v1/talent/register/").status_code == 403
