"""Instruments from Excel through the imports framework: Chinese columns, a row-by-row report, the template,
idempotent re-imports."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.core.workflow import Source
from techbridge.imports.registry import import_kind
from techbridge.imports.sample_files import template_workbook
from techbridge.instruments.importing import InstrumentImporter
from techbridge.instruments.models import Instrument
from techbridge.lib.xlsx import Sheet, workbook_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "仪器编号",
    "仪器名称",
    "规格型号",
    "生产厂家",
    "仪器分类",
    "所属单位",
    "原值(元)",
    "购置年份",
    "财政资金购置",
    "主要功能",
    "使用方式",
    "行业领域",
    "校内收费(元/机时)",
    "对外收费(元/机时)",
    "对外收费(元/样)",
    "开放日",
    "开放时间",
    "预约单位(分钟)",
]


def row(**over):
    base = {
        "仪器编号": "SEM-001",
        "仪器名称": "场发射扫描电子显微镜",
        "规格型号": "SU8010",
        "生产厂家": "日立",
        "仪器分类": "分析仪器",
        "所属单位": "示范大学",
        "原值(元)": "320万",
        "购置年份": "2019",
        "财政资金购置": "是",
        "主要功能": "观察材料表面形貌与断口，配能谱仪做微区成分分析。",
        "使用方式": "培训后自主使用",
        "行业领域": "膜材料/化工新材料；集成电路",
        "校内收费(元/机时)": "200",
        "对外收费(元/机时)": "400",
        "对外收费(元/样)": "",
        "开放日": "周一至周五",
        "开放时间": "08:30-17:30",
        "预约单位(分钟)": "60",
    }
    base.update(over)
    return base


def run(rows, actor=None):
    importer = InstrumentImporter(source=Source.UNIVERSITY, actor=actor, file_name="仪器.xlsx")
    return importer.run(list(enumerate(rows, start=2)))


def test_rows_become_instruments_with_fees_fields_and_hours(cast):
    report = run([row(), row(仪器编号="XRD-002", 仪器名称="X射线衍射仪", 规格型号="D8 Advance")])
    assert (report.created, len(report.refused)) == (2, 0), report.refused
    sem = Instrument.objects.get(external_id="SEM-001")
    assert sem.owner == cast.university and sem.category == "analysis" and sem.access == "self_use"
    assert sem.purchase_value == Decimal("3200000.00") and sem.publicly_funded and sem.source == "university"
    assert sorted(f.code for f in sem.fields.all()) == ["ic", "materials"]
    assert {(r.audience, r.unit, r.price) for r in sem.rates.all()} == {
        ("internal", "hour", Decimal("200.00")),
        ("external", "hour", Decimal("400.00")),
    }
    assert sem.open_days == "12345" and sem.opens_at.hour == 8 and sem.slot_minutes == 60
    assert AuditEntry.objects.filter(action="instruments.instrument.imported").count() == 2


def test_bad_rows_are_refused_with_their_line_and_reason_and_the_rest_imported(cast):
    rows = [
        row(),
        row(仪器编号="X1", 仪器名称=""),
        row(仪器编号="X2", 所属单位="不存在的大学"),
        row(仪器编号="X3", 仪器分类="望远镜类"),
        row(仪器编号="X4", 开放日="工作日"),
        row(仪器编号="X5", **{"预约单位(分钟)": "45"}),
        row(仪器编号="X6", **{"对外收费(元/机时)": "很贵"}),
        row(仪器编号="X7", 行业领域="量子计算"),
        row(),  # the same record twice in one file
    ]
    report = run(rows)
    assert report.created == 1
    reasons = {r.line: r.reason for r in report.refused}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "name is missing" in reasons[3]
    assert "not registered" in reasons[4]
    assert "unknown value" in reasons[5] and "分析仪器" in reasons[5]
    assert "周一至周五" in reasons[6]
    assert "1440" in reasons[7]
    assert "not an amount" in reasons[8]
    assert "量子计算" in reasons[9]
    assert "line 2" in reasons[10]


def test_a_second_import_changes_only_what_changed(cast):
    run([row()])
    again = run([row()])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = run([row(**{"对外收费(元/机时)": "450", "主要功能": "新的功能描述"})])
    assert changed.updated == 1
    sem = Instrument.objects.get(external_id="SEM-001")
    assert sem.description == "新的功能描述"
    assert sem.rates.get(audience="external", unit="hour").price == Decimal("450.00")
    entry = AuditEntry.objects.filter(action="instruments.instrument.reimported").get()
    assert entry.data["fields"] == ["description", "rates"]


def test_the_kind_is_registered_with_a_chinese_template():
    kind = import_kind("instruments")
    assert kind.importer is InstrumentImporter and kind.template_label == "仪器设备"
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(template_workbook("instruments")))
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert "仪器名称*" in headers and "对外收费(元/机时)" in headers
    # The template's own example row imports once its owner exists.
    example = [c.value for c in next(iter(wb.worksheets[0].iter_rows(min_row=2, max_row=2)))]
    assert example[headers.index("仪器分类")] == "分析仪器"


def test_the_import_console_takes_an_instrument_file(cast, client, settings, tmp_path, run_on_commit):
    settings.MEDIA_ROOT = tmp_path
    data = workbook_bytes([Sheet("仪器设备", HEADERS, [[row()[h] for h in HEADERS]])])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.operator)
    upload = SimpleUploadedFile("仪器.xlsx", data)
    with run_on_commit(execute=True):
        response = client.post(
            reverse("imports_console:list"),
            {"kind": "instruments", "source": "university", "file": upload, "find_duplicates": ""},
        )
    assert response.status_code == 302
    from techbridge.imports.models import ImportBatch

    batch = ImportBatch.objects.get()
    assert batch.kind == "instruments" and batch.preview["created"] == 1
    with run_on_commit(execute=True):
        client.post(reverse("imports_console:confirm", args=[batch.pk]))
    assert Instrument.objects.filter(external_id="SEM-001", owner=cast.university).exists()
