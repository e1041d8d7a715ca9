"""Importing achievements, demands and organisations from files, and loading the demo catalogue."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from techbridge.accounts.models import User
from techbridge.achievements.models import Achievement
from techbridge.core import audit
from techbridge.core.fulltext import get_backend
from techbridge.core.models import AuditEntry
from techbridge.core.roles import Role
from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.imports.models import ImportBatch
from techbridge.imports.readers import BadLine, ImportFileError, read_rows
from techbridge.imports.services import import_file
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def load(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command("load_listings", str(FIXTURES / name), *args, "--no-progress", stdout=out)
    return out.getvalue()


# ---- readers ------------------------------------------------------------------------------------


def test_csv_reader_gives_the_first_line_of_a_multi_line_record_and_drops_the_bom():
    rows = list(read_rows(FIXTURES / "achievements.csv"))
    assert [line for line, _row in rows] == [2, 3, 5]
    assert rows[0][1]["外部编号"] == "C-001"  # the BOM is not part of the first header
    assert "多层多道焊" in rows[1][1]["简介"]


def test_gb18030_csv_is_read_like_utf8(tmp_path):
    text = (FIXTURES / "achievements.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    assert [row["标题"] for _line, row in read_rows(path)] == [
        row["标题"] for _line, row in read_rows(FIXTURES / "achievements.csv")
    ]


def _workbook_with_dimension(path: Path, rows: list[list[str]], dimension: str) -> Path:
    """An .xlsx whose <dimension> tag claims ``dimension`` whatever the sheet holds (as some tools write)."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(
                    rb'<dimension ref="[^"]+"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), data
                )
                assert n == 1
            zout.writestr(item, data)
    return path


def test_xlsx_rows_and_columns_beyond_a_lying_dimension_tag_are_read(tmp_path):
    rows = [["外部编号", "标题"]] + [[f"D-{i}", f"第{i}项成果"] for i in range(1, 11)]
    path = _workbook_with_dimension(tmp_path / "lying.xlsx", rows, "A1:A3")

    read = list(read_rows(path))

    assert [line for line, _row in read] == list(range(2, 12))
    assert read[-1][1] == {"外部编号": "D-10", "标题": "第10项成果"}


def test_xlsx_reads_the_visible_sheet_not_a_hidden_first_one(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    decoy = wb.active
    decoy.title = "旧数据"
    decoy.append(["外部编号", "标题"])
    decoy.append(["OLD-1", "隐藏表中的旧行"])
    decoy.sheet_state = "hidden"
    data = wb.create_sheet("成果")
    data.append(["外部编号", "标题"])
    data.append(["NEW-1", "看得见的那一行"])
    wb.active = 1
    path = tmp_path / "two.xlsx"
    wb.save(path)

    assert [row["外部编号"] for _line, row in read_rows(path)] == ["NEW-1"]


def test_xlsx_with_broken_xml_inside_is_refused_as_not_a_workbook(tmp_path):
    import zipfile

    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = body.replace(b"<sheet ", b'<sheet a="1" a="2" ', 1)
            zout.writestr(item, body)

    with pytest.raises(ImportFileError, match="有效的 Excel"):
        list(read_rows(broken))


def test_xlsx_with_every_sheet_hidden_is_refused_with_what_to_do(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["外部编号"])
    wb.create_sheet("b").append(["外部编号"])
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    # openpyxl refuses to save a workbook without a visible sheet, so hide them in the XML.
    import zipfile

    hidden = tmp_path / "all_hidden.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(hidden, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = re.sub(rb' state="[a-zA-Z]+"', b"", body)
                body = re.sub(rb"<sheet ", b'<sheet state="hidden" ', body)
            zout.writestr(item, body)

    with pytest.raises(ImportFileError, match="所有工作表都已隐藏"):
        list(read_rows(hidden))


def test_malformed_json_line_becomes_a_bad_line_with_its_number():
    rows = list(read_rows(FIXTURES / "achievements_bad.jsonl"))
    line, bad = rows[-1]
    assert line == 7
    assert isinstance(bad, BadLine) and "JSON" in bad.reason


def test_unknown_extension_is_a_clear_error(tmp_path):
    path = tmp_path / "listings.docx"
    path.write_text("x")
    with pytest.raises(ImportFileError, match="docx"):
        read_rows(path)


# ---- achievements ---------------------------------------------------------------------------------


def test_jsonl_achievements_load_with_codes_names_and_aliases(orgs):
    report = import_file(
        FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True
    )
    assert (report.created, report.refused) == (3, [])
    membrane = Achievement.objects.get(external_id="T-001")
    assert membrane.status == ReviewStatus.PUBLISHED and membrane.published_at is not None
    assert sorted(membrane.fields.values_list("code", flat=True)) == ["environment", "materials"]
    assert sorted(membrane.deal_modes.values_list("code", flat=True)) == ["assignment", "license-exclusive"]
    assert membrane.discipline.name == "材料科学与工程"
    assert (membrane.trl, membrane.price, membrane.price_negotiable) == (6, 800000, False)
    assert membrane.owner.name == "示例测试大学" and not membrane.is_demo
    bearing = Achievement.objects.get(external_id="T-002")
    assert bearing.trl is None and bearing.price_negotiable and bearing.keyword_list == ["轴承", "故障诊断"]
    software = Achievement.objects.get(external_id="T-003")
    assert (software.kind, software.trl, software.price) == ("software", 7, 50000)
    assert sorted(software.fields.values_list("code", flat=True)) == ["agriculture", "software"]


def test_published_imports_are_audited_as_import_publish(orgs):
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True)
    membrane = Achievement.objects.get(external_id="T-001")
    entry = AuditEntry.objects.get(object_id=str(membrane.pk), action="achievements.achievement.imported")
    assert (entry.from_state, entry.to_state) == ("", ReviewStatus.PUBLISHED)


def test_without_publish_rows_arrive_as_drafts(orgs):
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university")
    assert set(Achievement.objects.values_list("status", flat=True)) == {ReviewStatus.DRAFT}
    assert AuditEntry.objects.filter(action="achievements.achievement.imported").count() == 3


def test_chinese_csv_headers_load(orgs):
    report = import_file(FIXTURES / "achievements.csv", kind="achievements", source="manual", publish=True)
    assert (report.created, report.refused) == (3, [])
    beidou = Achievement.objects.get(external_id="C-001")
    assert beidou.kind == "utility_model" and beidou.price_negotiable and beidou.price is None
    assert list(beidou.fields.values_list("code", flat=True)) == ["beidou"]
    assert beidou.contact_email == "zhang@example.cn" and beidou.ipc_codes == "H04B"
    welding = Achievement.objects.get(external_id="C-002")
    assert welding.price == 1200000 and welding.dual_use and welding.title == "激光焊缝跟踪系统,厚板适用"
    assert sorted(welding.deal_modes.values_list("code", flat=True)) == ["assignment", "license-ordinary"]
    assert Achievement.objects.get(external_id="C-003").price_negotiable


def test_xlsx_rows_load(orgs, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "外部编号",
            "需求名称",
            "问题描述",
            "行业领域",
            "合作方式",
            "预算下限",
            "预算上限",
            "截止日期",
            "需求企业",
        ]
    )
    problem = "巡检机器人拍到的表计图像反光倾斜，需要稳健的读数识别算法。"
    ws.append(
        [
            "X-1",
            "变电站表计识别",
            problem,
            "智能电网",
            "技术开发",
            400000,
            800000,
            "2027-04-30",
            "示例测试企业",
        ]
    )
    ws.append([None] * 9)  # an empty row is skipped
    ws.append(["X-2", "", "没有名称的需求", None, None, None, None, None, "示例测试企业"])
    path = tmp_path / "demands.xlsx"
    wb.save(path)

    report = import_file(path, kind="demands", source="manual", publish=True)

    assert report.created == 1
    assert [(r.line, "missing" in r.reason or "缺" in r.reason) for r in report.refused] == [(4, True)]
    demand = Demand.objects.get(external_id="X-1")
    assert (demand.budget_min, demand.budget_max, str(demand.deadline)) == (400000, 800000, "2027-04-30")
    assert not demand.budget_negotiable
    assert list(demand.fields.values_list("code", flat=True)) == ["smart-grid"]


def test_bad_rows_are_reported_with_line_and_reason_while_good_rows_load(orgs):
    report = import_file(
        FIXTURES / "achievements_bad.jsonl", kind="achievements", source="university", publish=True
    )
    assert report.created == 1
    assert Achievement.objects.filter(external_id="B-001").exists()
    reasons = {r.line: r.reason for r in report.refused}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert "12" in reasons[2] and "1" in reasons[2] and "9" in reasons[2]
    assert "negative" in reasons[3] or "负" in reasons[3]
    assert "quantum-teleportation" in reasons[4]
    assert "X99Z" in reasons[5]
    assert "title" in reasons[6].lower() or "标题" in reasons[6]
    assert "JSON" in reasons[7]
    assert Achievement.objects.count() == 1


def test_refused_row_leaves_no_demo_organisation_behind():
    rows = [
        (
            1,
            {
                "external_id": "N-1",
                "title": "负价格",
                "summary": "x",
                "owner": "示例·不该留下的单位",
                "price": -5,
            },
        )
    ]
    from techbridge.imports.importers.listings import AchievementImporter

    report = AchievementImporter(source="demo", publish=True).run(rows)
    assert len(report.refused) == 1
    assert not Organization.objects.filter(name="示例·不该留下的单位").exists()


def test_owner_must_exist_unless_demo():
    report = import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university")
    assert report.created == 0 and len(report.refused) == 3
    assert "示例测试大学" in report.refused[0].reason


def test_demo_source_creates_approved_demo_owners():
    report = import_file(FIXTURES / "demands.jsonl", kind="demands", source="demo", publish=True)
    assert report.created == 2
    enterprise = Organization.objects.get(name="示例测试企业")
    assert (
        enterprise.is_demo and enterprise.status == OrgStatus.APPROVED and enterprise.district == "jiangning"
    )
    assert Demand.objects.filter(is_demo=True, status=ReviewStatus.PUBLISHED).count() == 2
    assert [r.line for r in report.refused] == [3]


# ---- idempotency ------------------------------------------------------------------------------------


def test_rerun_changes_nothing_and_writes_no_audit_entries(orgs):
    first = import_file(FIXTURES / "achievements.csv", kind="achievements", source="manual", publish=True)
    records = AuditEntry.objects.exclude(action__startswith="imports.batch.")
    audit_count = records.count()
    stamps = dict(Achievement.objects.values_list("pk", "updated_at"))

    second = import_file(FIXTURES / "achievements.csv", kind="achievements", source="manual", publish=True)

    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert records.count() == audit_count  # the run itself is audited (started, finished); no record is
    batch = ImportBatch.objects.get(pk=second.batch_id)
    assert list(audit.history(batch).values_list("action", flat=True)) == [
        "imports.batch.finished",
        "imports.batch.started",
    ]
    assert dict(Achievement.objects.values_list("pk", "updated_at")) == stamps


def test_changed_row_updates_the_record_and_the_search_index(orgs, tmp_path):
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True)
    changed = tmp_path / "achievements.jsonl"
    changed.write_text(
        (FIXTURES / "achievements.jsonl")
        .read_text(encoding="utf-8")
        .replace("通量提高三成", "通量提高三成，耐氯性能突出")
        .replace('"trl": 6', '"trl": 7'),
        encoding="utf-8",
    )

    report = import_file(changed, kind="achievements", source="university", publish=True)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    membrane = Achievement.objects.get(external_id="T-001")
    assert membrane.trl == 7 and "耐氯" in membrane.summary
    assert membrane.status == ReviewStatus.PUBLISHED
    entry = AuditEntry.objects.get(object_id=str(membrane.pk), action="achievements.achievement.reimported")
    assert entry.data["fields"] == ["summary", "trl"]
    assert membrane.pk in {h.object_id for h in get_backend().search("achievement", "耐氯")}


def test_rerun_never_republishes_a_withdrawn_listing(orgs):
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True)
    Achievement.objects.filter(external_id="T-002").update(status=ReviewStatus.WITHDRAWN)
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True)
    assert Achievement.objects.get(external_id="T-002").status == ReviewStatus.WITHDRAWN


# ---- search -----------------------------------------------------------------------------------------


def test_imported_published_rows_are_found_by_full_text_search(orgs):
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True)
    import_file(FIXTURES / "demands.jsonl", kind="demands", source="manual", publish=True)
    membrane = Achievement.objects.get(external_id="T-001")
    assert membrane.pk in {h.object_id for h in get_backend().search("achievement", "石墨烯 反渗透膜")}
    demand = Demand.objects.get(external_id="D-001")
    assert demand.pk in {h.object_id for h in get_backend().search("demand", "热失控")}


def test_drafts_are_not_indexed(orgs):
    import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university")
    assert get_backend().search("achievement", "石墨烯") == []


# ---- load_listings ------------------------------------------------------------------------------------


def test_load_listings_lists_refused_rows_and_exits_normally(orgs):
    out = load("achievements_bad.jsonl", "--kind", "achievements", "--source", "university", "--publish")
    assert re.search(r"\b7\b.*JSON", out)
    assert re.search(r"\b3\b.*(negative|负)", out)
    batch = ImportBatch.objects.get(kind="achievements")
    assert (batch.created_count, batch.refused_count, batch.status) == (1, 6, ImportBatch.Status.FINISHED)
    assert batch.refused_rows[0]["line"] == 2


def test_load_listings_reports_ignored_columns(orgs, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("标题,所属单位,简介,备注\n一项成果,示例测试大学,简介文字,随便写的\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "load_listings",
        str(path),
        "--kind",
        "achievements",
        "--source",
        "manual",
        "--no-progress",
        stdout=out,
    )
    assert "备注" in out.getvalue()
    assert Achievement.objects.get().external_id.startswith("auto-")


def test_load_listings_unknown_extension_exits_1(tmp_path, capsys):
    from techbridge.imports.management.commands.load_listings import Command

    path = tmp_path / "listings.pdf"
    path.write_text("x")
    argv = [
        "manage.py",
        "load_listings",
        str(path),
        "--kind",
        "achievements",
        "--source",
        "manual",
        "--skip-checks",
    ]
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(argv)
    assert exit_info.value.code == 1
    assert ".pdf" in capsys.readouterr().err


def test_load_listings_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_listings", str(tmp_path / "nope.csv"), "--kind", "demands", "--source", "manual")
    assert error.value.returncode == 1


# ---- demo ---------------------------------------------------------------------------------------------


def test_load_demo_subset_creates_demo_orgs_and_listings_and_is_idempotent():
    out = io.StringIO()
    data_dir = Path(settings.BASE_DIR) / "data"
    call_command("load_demo", "--data-dir", str(data_dir), "--limit", "3", "--no-progress", stdout=out)

    assert Achievement.objects.filter(is_demo=True, source="demo", status=ReviewStatus.PUBLISHED).count() == 9
    assert Demand.objects.filter(is_demo=True, status=ReviewStatus.PUBLISHED).count() == 3
    orgs = Organization.objects.all()
    assert orgs and all(o.is_demo and o.status == OrgStatus.APPROVED for o in orgs)
    assert Organization.objects.filter(name__startswith="示例高校·", kind="university").exists()
    assert Organization.objects.filter(name__startswith="示例专利权人·").exists()
    institute = Organization.objects.get(name="中科大数据研究院")
    assert institute.kind == "institute" and institute.district == "outside"
    patent = Achievement.objects.get(external_id="CN202223220665.2")
    assert patent.kind == "utility_model" and "CN218751475U" in patent.patent_numbers
    assert patent.detail.startswith("1.") and patent.ipc_codes == "B64U"
    title_only = Achievement.objects.get(external_id="CN114081026A")
    assert title_only.kind == "invention_patent" and "著录" in title_only.summary
    paper = Achievement.objects.get(external_id="csl-bench-dev-0000")
    assert paper.kind == "other" and paper.trl is None and paper.price_negotiable and paper.discipline

    records = AuditEntry.objects.exclude(action__startswith="imports.batch.")
    audit_count = records.count()
    out = io.StringIO()
    call_command("load_demo", "--data-dir", str(data_dir), "--limit", "3", "--no-progress", stdout=out)
    assert records.count() == audit_count
    assert "12 unchanged" in out.getvalue() or "12" in out.getvalue().splitlines()[-1]


def test_load_demo_missing_data_file_is_a_command_error(tmp_path):
    shutil.copytree(Path(settings.BASE_DIR) / "data" / "demo", tmp_path / "demo")
    with pytest.raises(CommandError, match="csl"):
        call_command("load_demo", "--data-dir", str(tmp_path), "--no-progress", stdout=io.StringIO())


def test_demo_accounts_is_idempotent():
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert "demo-2026!" in out.getvalue()
    users = {u.username: u for u in User.objects.select_related("organization")}
    assert set(users) == {"admin", "operator", "reviewer", "official", "researcher", "enterprise", "broker"}
    assert users["admin"].is_superuser and users["admin"].role == Role.OPERATOR
    assert (
        users["enterprise"].role == Role.ORG_ADMIN and users["enterprise"].organization.kind == "enterprise"
    )
    assert users["official"].organization.name == "市科技局（示例）"
    assert users["broker"].organization.name == "示例技术转移服务中心"
    assert users["researcher"].organization.kind == "university" and users["researcher"].organization.is_demo
    assert users["reviewer"].check_password("demo-2026!")
    counts = (User.objects.count(), Organization.objects.count(), AuditEntry.objects.count())

    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert (User.objects.count(), Organization.objects.count(), AuditEntry.objects.count()) == counts
    assert "已存在" in out.getvalue()
