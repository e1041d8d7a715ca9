"""The console import flow (upload → check → confirm → import), templates, the API and duplicates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from techbridge.achievements.models import Achievement
from techbridge.core.models import AuditEntry
from techbridge.core.workflow import ReviewStatus
from techbridge.imports import batches, dedup, sample_files
from techbridge.imports.models import DuplicatePair, ImportBatch
from techbridge.imports.readers import read_rows
from techbridge.imports.registry import import_kind
from techbridge.imports.services import import_file
from techbridge.testing.factories.achievements import AchievementFactory
from techbridge.testing.factories.imports import ImportBatchFactory

FIXTURES = Path(__file__).parent / "fixtures"
NS = "imports_console"

pytestmark = pytest.mark.django_db

HEADERS = [
    "外部编号",
    "成果名称*",
    "成果类型",
    "所属单位*",
    "行业领域",
    "技术成熟度",
    "价格(元)",
    "专利号",
    "成果简介*",
]


@pytest.fixture(autouse=True)
def _media(media_root):
    pass


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(monkeypatch):
    """The import's own tasks run at once, as on the embedded default after a real commit."""
    from techbridge.imports import views

    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))
    monkeypatch.setattr(views, "enqueue", lambda task, *args: task(*args))


def achievements_xlsx(rows: list[list]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("成果.xlsx", buf.getvalue())


GOOD = [
    "U-1",
    "一种耐高温锂电池隔膜",
    "发明专利",
    "示例测试大学",
    "新能源汽车",
    6,
    "30万",
    "CN202121635235.X",
    "隔膜耐温二百度。",
]
BAD_TRL = ["U-2", "轴承声学诊断", "其他", "示例测试大学", "轨道交通", 12, "面议", "", "车载麦克风阵列。"]
NO_OWNER = ["U-3", "没有单位的成果", "其他", "不存在的大学", "", None, "面议", "", "简介。"]


def upload(client, rows, **extra):
    data = {
        "kind": "achievements",
        "source": "university",
        "file": achievements_xlsx(rows),
        "publish": "on",
        "find_duplicates": "on",
        **extra,
    }
    return client.post(reverse(f"{NS}:list"), data)


# ---- the flow ------------------------------------------------------------------------------------


def test_operator_uploads_sees_refused_rows_then_confirms_and_only_good_rows_land(cast, client, orgs):
    client.force_login(cast.operator)
    response = upload(client, [GOOD, BAD_TRL, NO_OWNER])
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(f"{NS}:detail", args=[batch.pk])
    # The check ran (inline) and wrote nothing.
    assert batch.status == ImportBatch.Status.PREVIEWED and not Achievement.objects.exists()
    assert (batch.preview["created"], batch.preview["refused"]) == (1, 2)
    assert [r["line"] for r in batch.preview["refused_rows"]] == [3, 4]
    with translation.override("en"):
        page = client.get(
            reverse(f"{NS}:detail", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "不存在的大学" in page and "12" in page
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED
    assert (batch.created_count, batch.refused_count) == (1, 2)
    achievement = Achievement.objects.get()
    assert achievement.source == "university" and achievement.status == ReviewStatus.PUBLISHED
    assert AuditEntry.objects.get(action="achievements.achievement.imported").data["batch"] == batch.pk


def test_confirming_twice_imports_once(cast, client, orgs):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    assert Achievement.objects.count() == 1
    assert AuditEntry.objects.filter(action="imports.batch.confirmed").count() == 1


def test_reimporting_the_same_file_changes_nothing(cast, client, orgs):
    client.force_login(cast.operator)
    for _ in range(2):
        upload(client, [GOOD])
        batch = ImportBatch.objects.latest("pk")
        client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.created_count, batch.unchanged_count) == (0, 1)
    assert Achievement.objects.count() == 1


def test_cancel_drops_the_file_and_imports_nothing(cast, client, orgs):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")
    path = Path(batch.file.path)
    assert path.exists()
    client.post(reverse(f"{NS}:cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and not path.exists()
    assert not Achievement.objects.exists()


def test_unsupported_file_type_is_refused_with_a_message(cast, client):
    client.force_login(cast.operator)
    data = {"kind": "achievements", "source": "national", "file": SimpleUploadedFile("x.docx", b"x")}
    response = client.post(reverse(f"{NS}:list"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and b"docx" in response.content
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "official", "researcher", "outsider"])
def test_only_operators_may_import(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse(f"{NS}:list")).status_code == 403
    response = upload(client, [GOOD])
    assert response.status_code == 403 and not ImportBatch.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse(f"{NS}:list")).status_code == 302


def test_batch_list_query_count_is_bounded(cast, client, pinned_queries):
    for i in range(15):
        ImportBatchFactory(file_name=f"成果汇总{i:02d}.xlsx", created_by=cast.operator)
    client.force_login(cast.operator)
    with pinned_queries("batches"):
        html = client.get(reverse(f"{NS}:list")).content.decode()
    assert "成果汇总00.xlsx" in html and "成果汇总14.xlsx" in html


def test_progress_partial_polls_while_running(cast, client):
    batch = ImportBatchFactory(file_name="big.csv", total_rows=1000, created_count=250)
    client.force_login(cast.operator)
    html = client.get(reverse(f"{NS}:detail", args=[batch.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="25"' in html and "<h1>" not in html


# ---- patents and organisations ------------------------------------------------------------------------


def test_patent_rows_need_a_valid_patent_number_and_are_identified_by_it(orgs, tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(
        "专利名称,专利号,专利权人,IPC分类号,摘要\n"
        "一种隔膜,CN202121635235.X,示例测试大学,H01M 50/40,耐高温隔膜。\n"
        "没有号的专利,,示例测试大学,,摘要。\n"
        "号码错误,US1234567,示例测试大学,,摘要。\n"
        "IPC 错误,CN218751475U,示例测试大学,XYZ,摘要。\n",
        encoding="utf-8",
    )
    report = import_file(path, kind="patents", source="national")
    assert report.created == 1 and [r.line for r in report.refused] == [3, 4, 5]
    patent = Achievement.objects.get()
    assert (patent.kind, patent.external_id) == ("invention_patent", "CN202121635235.X")
    assert import_file(path, kind="patents", source="national").unchanged == 1


def test_organisation_with_a_bad_credit_code_is_refused():
    report = import_file(FIXTURES / "organizations.csv", kind="organizations", source="manual")
    assert report.created == 2 and [r.line for r in report.refused] == [4]


# ---- templates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(sample_files.BUILT_IN_TEMPLATES))
def test_every_template_header_is_understood_by_its_importer(kind, tmp_path):
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(sample_files.template_workbook(kind))
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames[1] == "填写说明"
    wb.close()
    report_columns: set[str] = set()
    importer = import_kind(kind).importer(source="manual")
    from techbridge.imports.cells import Cells

    for _line, row in read_rows(path):
        Cells(row, importer.aliases, report_columns)
    assert report_columns == set()


def test_template_download_is_an_xlsx_for_staff_only(cast, client):
    client.force_login(cast.operator)
    response = client.get(reverse(f"{NS}:template", args=["patents"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    client.force_login(cast.buyer)
    assert client.get(reverse(f"{NS}:template", args=["patents"])).status_code == 403


# ---- the API ----------------------------------------------------------------------------------------------


def test_api_upload_check_and_confirm(cast, client, orgs):
    client.force_login(cast.operator)
    response = client.post(
        reverse("api:import-batch-list"),
        {
            "kind": "achievements",
            "source": "national",
            "file": achievements_xlsx([GOOD, BAD_TRL]),
            "publish": "true",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "previewed" and body["preview"]["refused"] == 1
    response = client.post(reverse("api:import-batch-confirm", args=[body["id"]]))
    assert response.status_code == 202
    assert response.json()["status"] == "finished" and response.json()["created_count"] == 1
    again = client.post(reverse("api:import-batch-confirm", args=[body["id"]]))
    assert again.status_code == 400 and again.json()["message"]


def test_api_is_closed_to_non_operators(cast, client):
    client.force_login(cast.buyer)
    assert client.get(reverse("api:import-batch-list")).status_code == 403
    assert client.get(reverse("api:import-duplicate-list")).status_code == 403


# ---- duplicates ---------------------------------------------------------------------------------------


def _achievement(org, title, summary, number="", source="national", external_id=""):
    return AchievementFactory(
        owner=org,
        title=title,
        summary=summary,
        patent_numbers=number,
        source=source,
        external_id=external_id or title[:20],
        status=ReviewStatus.PUBLISHED,
    )


def test_same_patent_number_across_sources_is_a_pair(cast):
    a = _achievement(cast.university, "一种隔膜", "甲。", "CN202121635235.X", "national")
    b = _achievement(cast.university, "完全不同的名称", "乙。", "CN 202121635235.x", "provincial")
    assert dedup.scan("achievement") == 1
    pair = DuplicatePair.objects.get()
    assert (pair.left_id, pair.right_id, pair.reason) == (a.pk, b.pk, "patent")
    assert dedup.scan("achievement") == 0  # found once


def test_near_duplicate_titles_are_found_and_different_ones_are_not(cast):
    summary = "以氧化石墨烯改性聚酰胺层，通量提高三成，脱盐率保持在百分之九十九点五以上，适用于海水淡化。"
    a = _achievement(cast.university, "高通量石墨烯复合反渗透膜", summary)
    b = _achievement(
        cast.university, "高通量石墨烯复合反渗透膜（修订版）", summary.replace("，", ","), source="provincial"
    )
    _achievement(cast.university, "轨道车辆轴承故障声学诊断方法", "基于车载麦克风阵列识别轴承早期故障。")
    found = dedup.find_pairs("achievement")
    assert [(f.left_id, f.right_id, f.reason) for f in found] == [(a.pk, b.pk, "text")]


def test_import_flags_duplicates_of_existing_records(cast, client, orgs):
    from techbridge.organizations.models import Organization

    org = Organization.objects.get(name="示例测试大学")
    existing = _achievement(org, "一种耐高温锂电池隔膜", "隔膜耐温二百度。", "CN202121635235.X", "provincial")
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    pair = DuplicatePair.objects.get()
    assert pair.batch_id == batch.pk and existing.pk in (pair.left_id, pair.right_id)


def test_reviewer_merges_a_pair_keeping_history(cast, client):
    from techbridge.taxonomy.models import IndustryField

    a = _achievement(cast.university, "一种隔膜", "甲。", "CN202121635235.X")
    b = _achievement(cast.university, "一种隔膜", "乙。", "CN202121635235.X", "provincial")
    Achievement.objects.filter(pk=a.pk).update(keywords="")
    b.keywords = "隔膜、锂电池"
    b.save()
    field = IndustryField.objects.first()
    b.fields.add(field)
    dedup.scan("achievement")
    pair = DuplicatePair.objects.get()
    client.force_login(cast.reviewer)
    client.post(reverse(f"{NS}:duplicate_decide", args=[pair.pk]), {"action": "merge", "keep": a.pk})
    a.refresh_from_db()
    b.refresh_from_db()
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.survivor_id == a.pk
    assert b.status == ReviewStatus.WITHDRAWN and a.status == ReviewStatus.PUBLISHED
    assert a.keywords == "隔膜、锂电池" and field in a.fields.all()
    assert (
        AuditEntry.objects.get(action="achievements.achievement.merged", object_id=str(a.pk)).data["merged"]
        == b.pk
    )
    assert (
        AuditEntry.objects.get(action="achievements.achievement.merged_into", object_id=str(b.pk)).data[
            "into"
        ]
        == a.pk
    )
    # Decided pairs are never proposed again.
    assert dedup.scan("achievement") == 0


def test_dismissed_pair_is_not_proposed_again(cast, client):
    _achievement(cast.university, "一种隔膜", "甲。", "CN202121635235.X")
    _achievement(cast.university, "一种隔膜", "乙。", "CN202121635235.X", "provincial")
    dedup.scan("achievement")
    pair = DuplicatePair.objects.get()
    client.force_login(cast.reviewer)
    client.post(reverse(f"{NS}:duplicate_decide", args=[pair.pk]), {"action": "dismiss"})
    pair.refresh_from_db()
    assert pair.status == "dismissed"
    assert dedup.scan("achievement") == 0 and DuplicatePair.objects.count() == 1


def test_merge_must_keep_one_of_the_pair_and_outsiders_cannot_decide(cast, client):
    a = _achievement(cast.university, "一种隔膜", "甲。", "CN202121635235.X")
    _achievement(cast.university, "一种隔膜", "乙。", "CN202121635235.X", "provincial")
    dedup.scan("achievement")
    pair = DuplicatePair.objects.get()
    client.force_login(cast.buyer)
    assert (
        client.post(reverse(f"{NS}:duplicate_decide", args=[pair.pk]), {"action": "dismiss"}).status_code
        == 403
    )
    client.force_login(cast.reviewer)
    client.post(reverse(f"{NS}:duplicate_decide", args=[pair.pk]), {"action": "merge", "keep": 999999})
    pair.refresh_from_db()
    assert pair.status == "open"
    a.refresh_from_db()
    assert a.status == ReviewStatus.PUBLISHED


def test_duplicate_page_query_count_is_bounded(cast, client, pinned_queries):
    titles = ["陶瓷膜分离", "轴承诊断", "北斗定位", "激光焊接", "智能电表", "水稻育种"]
    for i, title in enumerate(titles):
        _achievement(cast.university, title, "甲。", f"CN20212163523{i}.1", external_id=f"a{i}")
        _achievement(cast.university, title, "乙。", f"CN20212163523{i}.1", "provincial", f"b{i}")
    dedup.scan("achievement")
    client.force_login(cast.reviewer)
    with pinned_queries("duplicates"):
        html = client.get(reverse(f"{NS}:duplicates")).content.decode()
    assert html.count('class="card pair"') == 6
    assert all(html.count(title) >= 2 for title in titles)  # both records of every pair are shown


def test_load_listings_reports_duplicates(cast, orgs, tmp_path):
    from techbridge.organizations.models import Organization

    _achievement(
        Organization.objects.get(name="示例测试大学"),
        "高通量石墨烯复合反渗透膜",
        "x",
        "CN218751475U",
        "provincial",
    )
    out = io.StringIO()
    call_command(
        "load_listings",
        str(FIXTURES / "achievements.jsonl"),
        "--kind",
        "achievements",
        "--source",
        "university",
        "--no-progress",
        stdout=out,
    )
    assert DuplicatePair.objects.filter(reason="patent").count() == 1


def test_batch_services_refuse_non_operators(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        batches.start_upload(
            achievements_xlsx([GOOD]),
            kind="achievements",
            source="national",
            publish=False,
            actor=cast.reviewer,
        )


def test_refused_rows_download_as_excel(cast, client, orgs):
    client.force_login(cast.operator)
    upload(client, [GOOD, BAD_TRL])
    batch = ImportBatch.objects.latest("pk")
    response = client.get(reverse(f"{NS}:refused", args=[batch.pk]))
    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert rows[0] == ("行号", "原因") and rows[1][0] == 3 and "12" in rows[1][1]
    client.force_login(cast.reviewer)
    assert client.get(reverse(f"{NS}:refused", args=[batch.pk])).status_code == 403


def test_console_home_links_to_import_for_operators_only(cast, client):
    client.force_login(cast.operator)
    html = client.get(reverse("console:home")).content.decode()
    assert reverse(f"{NS}:list") in html and reverse("mining_console:analysis") in html
    client.force_login(cast.official)
    html = client.get(reverse("console:home")).content.decode()
    assert reverse(f"{NS}:list") not in html and reverse("mining_console:analysis") in html


def test_a_row_refused_while_writing_leaves_no_record_and_no_audit_entry(cast, orgs, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "外部编号,成果名称,所属单位,成果简介,联系邮箱\n"
        "M-1,好的成果,示例测试大学,简介。,\n"
        "M-2,邮箱错误的成果,示例测试大学,简介。,not-an-email\n"
        "M-3,单位不存在,没有这个单位,简介。,\n",
        encoding="utf-8",
    )
    report = import_file(path, kind="achievements", source="national")
    assert report.created == 1 and [r.line for r in report.refused] == [3, 4]
    assert list(Achievement.objects.values_list("external_id", flat=True)) == ["M-1"]
    entries = AuditEntry.objects.filter(action="achievements.achievement.imported")
    assert [e.data["external_id"] for e in entries] == ["M-1"]


# ---- measurement commands -------------------------------------------------------------------------------


def test_evaluate_dedup_reports_recall_and_precision():
    out = io.StringIO()
    call_command("evaluate_dedup", "--n", "60", stdout=out)
    assert "precision **1.000**" in out.getvalue()


def test_bench_import_child_imports_the_generated_file(tmp_path):
    import json

    from django.conf import settings

    from techbridge.imports.management.commands.bench_import import write_file

    path = tmp_path / "bench.csv"
    write_file(path, 40, Path(settings.BASE_DIR) / "data")
    out = io.StringIO()
    call_command("bench_import", "--child", str(path), stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (result["rows"], result["created"], result["refused"]) == (40, 40, 0)
    assert Achievement.objects.filter(external_id="BENCH-0000039").exists()


def test_unreadable_file_fails_the_check_with_its_reason(cast, client):
    client.force_login(cast.operator)
    data = {"kind": "achievements", "source": "national", "file": SimpleUploadedFile("坏.xlsx", b"not a zip")}
    client.post(reverse(f"{NS}:list"), data)
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportBatch.Status.FAILED and "xlsx" in batch.message.lower()
    html = client.get(reverse(f"{NS}:detail", args=[batch.pk])).content.decode()
    assert reverse(f"{NS}:confirm", args=[batch.pk]) not in html


def test_an_unexpected_error_marks_the_import_failed_not_running(cast, client, orgs, monkeypatch):
    from techbridge.imports.importers.listings import AchievementImporter

    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")

    def boom(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(AchievementImporter, "run", boom)
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: None)  # the worker picks it up below
    batches.confirm(batch, actor=cast.operator)
    with pytest.raises(RuntimeError):
        batches.run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "disk on fire" in batch.message


def test_api_upload_of_an_unsupported_file_is_a_400_with_a_message(cast, client):
    client.force_login(cast.operator)
    response = client.post(
        reverse("api:import-batch-list"),
        {"kind": "achievements", "source": "national", "file": SimpleUploadedFile("a.docx", b"x")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "docx" in response.json()["message"]
    response = client.post(reverse("api:import-batch-list"), {"kind": "cats", "source": "national"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_different_patents_with_nearly_the_same_title_are_not_paired(cast):
    _achievement(
        cast.university,
        "基于人工智能的话题推荐方法、装置、设备及存储介质",
        "专利著录记录：本条只有专利名称。",
        "CN113901796A",
    )
    _achievement(
        cast.university,
        "基于人工智能的信息推荐方法、装置、设备及存储介质",
        "专利著录记录：本条只有专利名称。",
        "CN113961813A",
    )
    _achievement(
        cast.university, "一种新能源汽车充电桩", "专利著录记录。", "CN215621466U", external_id="CN215621466U"
    )
    _achievement(
        cast.university, "一种新能源汽车充电桩", "专利著录记录。", "CN215663026U", external_id="CN215663026U"
    )
    titles = [Achievement.objects.get(pk=f.left_id).title for f in dedup.find_pairs("achievement")]
    assert titles == ["一种新能源汽车充电桩"]


def test_find_duplicates_command_and_api_scan(cast, client):
    _achievement(cast.university, "一种隔膜", "甲。", "CN202121635235.X", external_id="x1")
    _achievement(cast.university, "另一种名称", "乙。", "CN202121635235.X", "provincial", "x2")
    out = io.StringIO()
    call_command("find_duplicates", "--kind", "achievement", stdout=out)
    assert DuplicatePair.objects.count() == 1
    client.force_login(cast.reviewer)
    body = client.post(reverse("api:import-duplicate-scan")).json()
    assert body == {"new_pairs": {"achievement": 0, "demand": 0}, "open": 1}
    client.force_login(cast.buyer)
    assert client.post(reverse("api:import-duplicate-scan")).status_code == 403


def test_demands_are_deduplicated_and_merged_too(cast, client):
    from techbridge.demands.models import Demand
    from techbridge.testing.factories import DemandFactory

    problem = "机加工车间每天产生约二十吨含油废水，现有气浮工艺运行成本高，希望找到低成本膜分离处理技术。"
    common = {"enterprise": cast.enterprise, "problem": problem, "status": ReviewStatus.PUBLISHED}
    a = DemandFactory(
        title="含油废水低成本处理技术", source="provincial", external_id="P-1", setting="", **common
    )
    b = DemandFactory(
        title="含油废水低成本处理技术需求",
        source="national",
        external_id="N-1",
        setting="机加工车间",
        **common,
    )
    assert dedup.scan("demand") == 1
    pair = DuplicatePair.objects.get(kind="demand")
    client.force_login(cast.operator)
    client.post(reverse(f"{NS}:duplicate_decide", args=[pair.pk]), {"action": "merge", "keep": a.pk})
    a.refresh_from_db()
    assert a.setting == "机加工车间" and Demand.objects.get(pk=b.pk).status == ReviewStatus.WITHDRAWN


def test_a_file_error_names_the_file_as_uploaded_not_as_stored(cast, client):
    client.force_login(cast.operator)
    data = {
        "kind": "achievements",
        "source": "national",
        "file": SimpleUploadedFile("第三批成果.xlsx", b"not a zip"),
    }
    client.post(reverse(f"{NS}:list"), data)
    batch = ImportBatch.objects.latest("pk")

    assert batch.status == ImportBatch.Status.FAILED
    stored = batch.file.name.rsplit("/", 1)[-1]
    assert stored != "第三批成果.xlsx"  # stored with a time prefix under imports/<year>/<month>/
    assert "“第三批成果.xlsx”" in batch.message
    assert stored not in batch.message and "imports/" not in batch.message


# ---- issue 22 point 6: confirming returns at once, the page follows the task ------------------------


def test_confirming_returns_at_once_and_the_page_polls_until_the_task_is_done(
    cast, client, orgs, monkeypatch
):
    client.force_login(cast.operator)
    upload(client, [GOOD])  # checked inline
    queued: list = []
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: queued.append((task, args)))
    batch = ImportBatch.objects.latest("pk")
    r = client.post(reverse(f"{NS}:confirm", args=[batch.pk]), follow=True)
    page = r.content.decode()
    # Nothing imported inside the request: the batch waits for its task and the page polls it with htmx.
    assert len(queued) == 1 and not Achievement.objects.exists()
    assert "导入已开始" in page or "The import has started" in page
    assert f'hx-get="{reverse(f"{NS}:detail", args=[batch.pk])}"' in page and 'hx-trigger="every 2s"' in page
    # A second confirmation while it waits or runs is refused with the reason; nothing is queued twice.
    r = client.post(reverse(f"{NS}:confirm", args=[batch.pk]), follow=True)
    assert "该导入已在进行中" in r.content.decode(), [str(m) for m in r.context["messages"]]
    assert len(queued) == 1
    task, args = queued[0]
    task(*args)  # the worker
    progress = client.get(reverse(f"{NS}:detail", args=[batch.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' not in progress and 'data-count="created">1<' in progress
    assert Achievement.objects.count() == 1


def test_the_api_answers_202_with_the_address_to_poll(cast, client, orgs, monkeypatch):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: None)
    batch = ImportBatch.objects.latest("pk")
    r = client.post(reverse("api:import-batch-confirm", args=[batch.pk]))
    assert r.status_code == 202
    status_url = r.json()["status_url"]
    assert r["Location"] == status_url and status_url.endswith(
        reverse("api:import-batch-detail", args=[batch.pk])
    )
    assert r.json()["status"] == "queued"
    assert client.get(status_url).json()["status"] == "queued"
    again = client.post(reverse("api:import-batch-confirm", args=[batch.pk]))
    assert again.status_code == 400 and again.json()["message"] == "该导入已在进行中，可在其页面查看进度。"
    client.force_login(cast.buyer)
    assert client.post(reverse("api:import-batch-confirm", args=[batch.pk])).status_code == 403
    assert client.post(reverse("api:import-batch-confirm", args=[999999])).status_code in (403, 404)


def test_a_failed_import_shows_its_reason_on_the_page(cast, client, orgs, monkeypatch):
    from techbridge.imports.importers.listings import AchievementImporter

    def boom(self, *args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(AchievementImporter, "run", boom)
    client.force_login(cast.operator)
    upload(client, [GOOD])
    queued: list = []
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: queued.append(args))
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    with pytest.raises(RuntimeError):
        batches.run(*queued[0])
    page = client.get(reverse(f"{NS}:detail", args=[batch.pk])).content.decode()
    assert "磁盘已满" in page and 'data-status="failed"' in page
