"""Bulk import of patent database exports into the register: Chinese columns, per-row reports,
idempotent by application number, legal status through the state machine, links to achievements."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.imports import batches, sample_files
from techbridge.imports.models import ImportBatch
from techbridge.imports.readers import read_rows
from techbridge.imports.registry import import_kind, import_kinds
from techbridge.ipservices.importers import PatentRegisterImporter
from techbridge.ipservices.models import Patent
from techbridge.testing.factories.ipservices import sample_records

pytestmark = pytest.mark.django_db


def write_jsonl(tmp_path, rows, name="export.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def run(path, **kwargs):
    return PatentRegisterImporter(source="national", file_name=path.name, **kwargs).run(read_rows(path))


def test_the_sample_export_lands_with_status_term_and_region(tmp_path):
    report = run(write_jsonl(tmp_path, sample_records()))
    assert (report.created, len(report.refused)) == (10, 0)
    drone = Patent.objects.get(application_number="CN202223220665.2")
    assert drone.kind == "utility_model" and drone.legal_status == "granted"
    assert drone.publication_number == "CN218751475U" and drone.grant_date == dt.date(2023, 3, 28)
    assert drone.expiry_date == dt.date(2032, 12, 1)  # utility model: 10 years from 2022-12-02
    assert (drone.province, drone.city, drone.applicant_type) == ("河南", "郑州", "institute")
    assert drone.ipc_codes == "B64U 20/80；B64U 101/30" and drone.ipc_subclass == "B64U"
    assert drone.claims.startswith("1.一种无人机机载多功能盒")
    assert drone.inventors.split("；")[0] == "刘迪"
    pending = Patent.objects.get(application_number="CN202211740332.4")
    assert pending.kind == "invention" and pending.legal_status == "pending"
    assert AuditEntry.objects.filter(action="ipservices.patent.imported").count() == 10


def test_importing_the_same_export_again_changes_nothing(tmp_path):
    path = write_jsonl(tmp_path, sample_records())
    run(path)
    report = run(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
    assert Patent.objects.count() == 10


def test_a_newer_export_moves_the_legal_status_through_the_state_machine(tmp_path):
    rows = sample_records()
    run(write_jsonl(tmp_path, rows))
    granted = [dict(r) for r in rows]
    for r in granted:
        if r["申请号"] == "CN202211740332.4":
            r["法律状态"] = "有权-审定授权"
            r["授权公告日"] = 20240105
    report = run(write_jsonl(tmp_path, granted, "newer.jsonl"))
    assert (report.updated, report.unchanged) == (1, 9)
    patent = Patent.objects.get(application_number="CN202211740332.4")
    assert patent.legal_status == "granted" and patent.grant_date == dt.date(2024, 1, 5)
    move = AuditEntry.objects.get(action="ipservices.patent.status_changed")
    assert (move.from_state, move.to_state) == ("pending", "granted")


def test_an_impossible_status_move_is_refused_with_its_reason(tmp_path):
    rows = sample_records()[:1]
    expired = dict(rows[0], 法律状态="无权-期限届满")
    run(write_jsonl(tmp_path, [expired]))
    back = dict(rows[0], 法律状态="有权-审定授权")
    report = run(write_jsonl(tmp_path, [back], "back.jsonl"))
    assert len(report.refused) == 1 and "correct the patent in the console" in report.refused[0].reason
    assert Patent.objects.get().legal_status == "expired"


def test_bad_rows_are_refused_with_line_and_reason_and_good_rows_land(tmp_path):
    good = sample_records()[0]
    rows = [
        good,
        {"申请号": "", "专利名称": "没有号码"},
        {"申请号": "CN202310000001.1", "专利名称": "日期不对", "申请日": "2023-13-45"},
        {"申请号": "CN202310000002.2", "专利名称": "类型不明", "专利类型": "植物新品种"},
        {"申请号": "CN202310000003.3", "专利名称": "分类号错", "IPC分类号": "XYZ"},
        {"申请号": "12345", "专利名称": "号码不对"},
        {"申请号": "CN202310000004.4", "专利名称": "状态不明", "法律状态": "不知道"},
    ]
    report = run(write_jsonl(tmp_path, rows))
    assert report.created == 1
    reasons = {r.line: r.reason for r in report.refused}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert "application number" in reasons[2]
    assert "申请日" in reasons[3] and "patent type" in reasons[4] and "XYZ" in reasons[5]
    assert "12345" in reasons[6] and "不知道" in reasons[7]


def test_csv_with_the_database_headers(tmp_path):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "申请号",
            "专利名称",
            "申请日",
            "公开(公告)号",
            "公开(公告)日",
            "专利类型",
            "法律状态",
            "申请(专利权)人",
            "发明人",
            "IPC分类号",
            "主分类号",
            "摘要",
            "主权项",
            "申请人地址",
        ]
    )
    writer.writerow(
        [
            "2021 1 0123456.7",
            "一种微电网储能调度方法",
            "2021-03-04",
            "cn113000001a",
            "2021-06-22",
            "发明",
            "审中-实质审查",
            "南京智电科技有限公司；东南大学",
            "王五；赵六",
            "H02J3/38;H02J3/46",
            "H02J3/38",
            "一种微电网储能调度方法。",
            "1.一种微电网储能调度方法，其特征在于……",
            "211100 江苏省南京市江宁区",
        ]
    )
    path = tmp_path / "export.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    report = run(path)
    assert report.created == 1, report.refused
    patent = Patent.objects.get()
    assert patent.application_number == "CN202110123456.7" and patent.publication_number == "CN113000001A"
    assert (
        patent.first_applicant == "南京智电科技有限公司"
        and patent.applicants == "南京智电科技有限公司；东南大学"
    )
    assert (patent.city, patent.district, patent.ipc_main_group) == ("南京", "jiangning", "H02J 3/00")


def test_the_kind_is_registered_with_a_template_the_importer_understands(tmp_path):
    from techbridge.imports.cells import Cells

    kind = import_kind("patent_register")
    assert kind in import_kinds() and kind.importer is PatentRegisterImporter
    path = tmp_path / "template.xlsx"
    path.write_bytes(sample_files.template_workbook("patent_register"))
    ignored: set[str] = set()
    importer = PatentRegisterImporter(source="manual")
    for _line, row in read_rows(path):
        Cells(row, importer.aliases, ignored)
    assert ignored == set()


def test_imported_patents_are_linked_to_achievements_naming_them(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    from techbridge.testing.factories import AchievementFactory, publish

    achievement = AchievementFactory(
        owner=cast.other_university, created_by=cast.stranger, patent_numbers="CN218751475U"
    )
    publish(achievement)
    with django_capture_on_commit_callbacks(execute=True):
        run(write_jsonl(tmp_path, sample_records()[:1]))
    assert list(achievement.register_patents.values_list("application_number", flat=True)) == [
        "CN202223220665.2"
    ]


def test_an_achievement_published_later_is_linked_too(cast, tmp_path, django_capture_on_commit_callbacks):
    from techbridge.achievements import services as achievement_services
    from techbridge.testing.factories import AchievementFactory

    run(write_jsonl(tmp_path, sample_records()[:1]))
    achievement = AchievementFactory(
        owner=cast.university, created_by=cast.researcher, patent_numbers="ZL202223220665.2"
    )
    with django_capture_on_commit_callbacks(execute=True):
        achievement_services.submit_achievement(achievement, actor=cast.researcher)
        achievement_services.approve_achievement(achievement, actor=cast.reviewer)
    assert achievement.register_patents.count() == 1


def test_operator_imports_an_export_through_the_console(cast, client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    from techbridge.imports import views

    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))
    monkeypatch.setattr(views, "enqueue", lambda task, *args: task(*args))
    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in sample_records()).encode()
    client.force_login(cast.operator)
    client.post(
        reverse("imports_console:list"),
        {
            "kind": "patent_register",
            "source": "national",
            "file": SimpleUploadedFile("专利导出.jsonl", content),
        },
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.preview["created"] == 10
    client.post(reverse("imports_console:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED and Patent.objects.count() == 10
