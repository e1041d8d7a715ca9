"""Rich listings: images, documents, patent-certificate scans and video links on an achievement, each public
or gated by the NDA; checked by content, thumbnailed once, served through the permission check."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from techbridge.achievements import services
from techbridge.achievements.files import FILES
from techbridge.achievements.models import AchievementAttachment, AchievementVideo
from techbridge.core.listing_files import add_file, add_video
from techbridge.core.models import AuditEntry
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.files import (
    add_listing_file,
    approved,
    bomb_png_bytes,
    office_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)
from techbridge.testing.pages import card

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(cast, media_root, run_on_commit):
    return make_achievement(cast, title="高强度隔膜材料")


def _add(cast, listing, run_on_commit, **kw):
    with run_on_commit(execute=True):
        row = add_listing_file(FILES, listing, cast.researcher, **kw)
    row.refresh_from_db()
    return row


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


# ---- who sees what ---------------------------------------------------------------------------------


def test_anonymous_sees_public_images_but_not_nda_files(client, cast, listing, run_on_commit):
    image = _add(cast, listing, run_on_commit, caption="样机外观")
    secret = _add(cast, listing, run_on_commit, name="内部工艺.png", visibility="nda")

    page = client.get(reverse("achievements:detail", args=[listing.pk])).content.decode()

    assert "样机外观" in page
    assert reverse("achievements:attachment_thumbnail", args=[listing.pk, image.pk]) in page
    assert "内部工艺.png" not in page
    response = client.get(reverse("achievements:attachment", args=[listing.pk, image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["Content-Disposition"].startswith("inline")
    gated = client.get(reverse("achievements:attachment", args=[listing.pk, secret.pk]))
    assert gated.status_code == 302 and "/accounts/login/" in gated["Location"]


def test_nda_files_open_after_the_nda_is_accepted(client, cast, listing, run_on_commit):
    secret = _add(
        cast, listing, run_on_commit, name="工艺说明.pdf", data=pdf_bytes(), kind="document", visibility="nda"
    )
    url = reverse("achievements:attachment", args=[listing.pk, secret.pk])
    client.force_login(cast.buyer)

    refused = client.get(url)
    assert refused.status_code == 403
    assert "保密协议" in refused.content.decode()  # accept the non-disclosure terms first

    services.accept_nda(listing, actor=cast.buyer)
    response = client.get(url)
    assert response.status_code == 200
    assert _read(response) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert "工艺说明.pdf" in client.get(reverse("achievements:detail", args=[listing.pk])).content.decode()


def test_existing_attachments_stay_nda_gated(cast, listing):
    from django.core.files.base import ContentFile

    old = AchievementAttachment(achievement=listing, name="旧附件.pdf", size=9, uploaded_by=cast.researcher)
    old.file.save("旧附件.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    old.save()

    assert old.visibility == "nda"
    assert old.kind == "document"


# ---- the owner manages files on the edit page ------------------------------------------------------


def test_owner_uploads_captions_reorders_hides_and_removes_with_htmx(client, cast, listing, run_on_commit):
    client.force_login(cast.researcher)
    htmx = {"HTTP_HX_REQUEST": "true"}
    with run_on_commit(execute=True):
        added = client.post(
            reverse("achievements:attachment_add", args=[listing.pk]),
            {
                "file": upload("产品图.png", png_bytes()),
                "kind": "image",
                "visibility": "public",
                "caption": "产品",
            },
            **htmx,
        )
    assert added.status_code == 200
    assert "已添加文件" in added.content.decode() or "产品图.png" in added.content.decode()
    first = AchievementAttachment.objects.get(achievement=listing)
    assert first.thumbnail  # made once, in the background task
    second = _add(cast, listing, run_on_commit, name="第二张.png")

    client.post(
        reverse("achievements:attachment_change", args=[listing.pk, first.pk]),
        {"caption": "新的说明", "visibility": "nda"},
        **htmx,
    )
    client.post(reverse("achievements:attachment_up", args=[listing.pk, second.pk]), **htmx)

    first.refresh_from_db()
    assert (first.caption, first.visibility) == ("新的说明", "nda")
    assert list(AchievementAttachment.objects.filter(achievement=listing).values_list("name", flat=True)) == [
        "第二张.png",
        "产品图.png",
    ]
    edit = client.get(reverse("achievements:edit", args=[listing.pk])).content.decode()
    assert "新的说明" in edit
    with run_on_commit(execute=True):
        client.post(reverse("achievements:attachment_delete", args=[listing.pk, second.pk]))
    assert not AchievementAttachment.objects.filter(pk=second.pk).exists()
    codes = set(AuditEntry.objects.filter(object_id=str(listing.pk)).values_list("action", flat=True))
    assert {
        "achievements.achievement.attachment_added",
        "achievements.achievement.attachment_changed",
        "achievements.achievement.attachment_removed",
    } <= codes


@pytest.mark.parametrize("who", ["buyer", "stranger", "reviewer"])
def test_others_may_not_manage_files(client, cast, listing, run_on_commit, who):
    image = _add(cast, listing, run_on_commit)
    client.force_login(getattr(cast, who))

    added = client.post(
        reverse("achievements:attachment_add", args=[listing.pk]),
        {"file": upload("x.png", png_bytes()), "kind": "image", "visibility": "public"},
    )
    changed = client.post(
        reverse("achievements:attachment_change", args=[listing.pk, image.pk]), {"caption": "x"}
    )

    assert added.status_code == 403 and changed.status_code == 403
    assert AchievementAttachment.objects.filter(achievement=listing).count() == 1
    image.refresh_from_db()
    assert image.caption == ""


# ---- checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind", "message"),
    [
        ("伪装.pdf", png_bytes(), "document", "只接受 PDF、Word"),
        ("伪装.pdf", png_bytes(), "image", "文件名以"),
        ("超大.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), "image", "图片大于 5 MB"),
        ("炸弹.png", bomb_png_bytes(), "image", "超过 40 百万像素"),
        ("脚本.png", b"<html><script>alert(1)</script>", "image", "不是 JPEG、PNG、GIF 或 WebP 图片"),
        ("证书.docx", office_bytes("docx"), "patent_scan", "专利证书扫描件"),
        ("空.pdf", b"", "document", "文件为空"),
    ],
)
def test_wrong_types_and_sizes_are_refused_in_chinese(cast, listing, name, data, kind, message):
    with pytest.raises(ValidationError) as err:
        add_file(
            FILES, listing, actor=cast.researcher, upload=upload(name, data), kind=kind, visibility="public"
        )

    assert message in " ".join(err.value.messages)
    assert not AchievementAttachment.objects.exists()
    assert not [p for p in listing_dir(listing).rglob("*") if p.is_file()]


def listing_dir(listing):
    from django.conf import settings

    return settings.MEDIA_ROOT / "achievements" / str(listing.pk)


def test_documents_are_recognised_by_content(cast, listing, run_on_commit):
    pdf = _add(cast, listing, run_on_commit, name="说明书.pdf", data=pdf_bytes(), kind="document")
    docx = _add(cast, listing, run_on_commit, name="方案.docx", data=office_bytes("docx"), kind="document")
    xlsx = _add(cast, listing, run_on_commit, name="参数.xlsx", data=office_bytes("xlsx"), kind="document")
    scan = _add(cast, listing, run_on_commit, name="证书.pdf", data=pdf_bytes(), kind="patent_scan")

    assert [f.content_type for f in (pdf, docx, xlsx, scan)] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/pdf",
    ]
    assert not pdf.thumbnail


def test_thumbnail_is_a_small_webp(cast, listing, run_on_commit, client):
    image = _add(cast, listing, run_on_commit, data=png_bytes(1600, 1200))

    response = client.get(reverse("achievements:attachment_thumbnail", args=[listing.pk, image.pk]))

    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(_read(response))) as thumb:
        assert (thumb.format, thumb.width, thumb.height) == ("WEBP", 320, 240)
    assert response["Content-Type"] == "image/webp"


def test_count_limit_per_kind(cast, listing, run_on_commit, settings):
    settings.LISTING_MAX_FILES = {**settings.LISTING_MAX_FILES, "image": 1}
    _add(cast, listing, run_on_commit)

    with pytest.raises(ValidationError) as err:
        add_file(
            FILES,
            listing,
            actor=cast.researcher,
            upload=upload("b.png", png_bytes()),
            kind="image",
            visibility="public",
        )
    assert "最多" in err.value.messages[0]


def test_the_file_is_removed_when_the_row_fails(cast, listing, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(AchievementAttachment, "save", fail)
    with pytest.raises(RuntimeError):
        add_file(
            FILES,
            listing,
            actor=cast.researcher,
            upload=upload("a.png", png_bytes()),
            kind="image",
            visibility="public",
        )

    assert not [p for p in listing_dir(listing).rglob("*") if p.is_file()]


# ---- video links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://www.bilibili.com/video/BV1", "https://"),
        ("https://evil.example.com/v.mp4", "只接受来自"),
        ("javascript:alert(1)", "https://"),
    ],
)
def test_video_links_must_be_https_on_an_allowed_host(cast, listing, url, message):
    with pytest.raises(ValidationError) as err:
        add_video(FILES, listing, actor=cast.researcher, url=url, title="演示")
    assert message in err.value.messages[0]
    assert not AchievementVideo.objects.exists()


def test_video_is_a_link_never_an_iframe(client, cast, listing):
    cast.university.website = "https://www.demo-univ.edu.cn"
    cast.university.save(update_fields=["website"])
    listing.owner.refresh_from_db()
    approved(
        add_video(
            FILES,
            listing,
            actor=cast.researcher,
            url="https://www.bilibili.com/video/BV1ab",
            title="中试线演示",
        )
    )
    approved(
        add_video(
            FILES, listing, actor=cast.researcher, url="https://lab.demo-univ.edu.cn/v/1", title="实验室视频"
        )
    )

    page = client.get(reverse("achievements:detail", args=[listing.pk])).content.decode()

    assert "中试线演示" in page and "实验室视频" in page
    assert 'href="https://www.bilibili.com/video/BV1ab"' in page
    assert "<iframe" not in page


# ---- list cards ------------------------------------------------------------------------------------


def test_list_cards_show_the_first_public_thumbnail(client, cast, listing, run_on_commit):
    _add(cast, listing, run_on_commit, name="隐藏.png", visibility="nda")
    image = _add(cast, listing, run_on_commit, name="封面.png")
    other = make_achievement(cast, title="没有图片的成果")

    html = client.get(reverse("achievements:list")).content.decode()

    thumb = reverse("achievements:attachment_thumbnail", args=[listing.pk, image.pk])
    assert thumb in card(html, "高强度隔膜材料")
    assert "<img" not in card(html, other.title)


# ---- API -------------------------------------------------------------------------------------------


def test_api_lists_by_visibility_uploads_and_deletes(api, as_user, cast, listing, run_on_commit):
    _add(cast, listing, run_on_commit, caption="公开图")
    _add(cast, listing, run_on_commit, name="保密.png", visibility="nda")
    url = reverse("api:achievement-files", args=[listing.pk])

    public = api.get(url).json()
    assert [f["caption"] for f in public] == ["公开图"]
    assert public[0]["thumbnail_url"].endswith("/thumbnail/")
    assert len(as_user(cast.researcher).get(url).json()) == 2

    owner = as_user(cast.researcher)
    with run_on_commit(execute=True):
        created = owner.post(
            url,
            {"file": upload("图.png", png_bytes()), "kind": "image", "visibility": "public"},
            format="multipart",
        )
    assert created.status_code == 201 and created.json()["content_type"] == "image/png"
    refused = owner.post(
        url,
        {"file": upload("伪装.pdf", png_bytes()), "kind": "document", "visibility": "public"},
        format="multipart",
    )
    assert refused.status_code == 400 and "只接受 PDF、Word" in refused.content.decode()
    assert (
        as_user(cast.buyer)
        .post(
            url,
            {"file": upload("图.png", png_bytes()), "kind": "image", "visibility": "public"},
            format="multipart",
        )
        .status_code
        == 403
    )

    file_url = reverse("api:achievement-file", args=[listing.pk, created.json()["id"]])
    assert owner.patch(file_url, {"caption": "改了"}, format="json").json()["caption"] == "改了"
    assert owner.delete(file_url).status_code == 204
    assert AchievementAttachment.objects.filter(achievement=listing).count() == 2


def test_api_video_links(api, as_user, cast, listing):
    url = reverse("api:achievement-videos", args=[listing.pk])
    owner = as_user(cast.researcher)

    bad = owner.post(url, {"url": "https://evil.example.com/x", "title": "x"}, format="json")
    good = owner.post(url, {"url": "https://v.qq.com/x/page/a.html", "title": "演示"}, format="json")

    assert bad.status_code == 400 and "只接受来自" in bad.content.decode()
    assert good.status_code == 201 and good.json()["host"] == "v.qq.com"
    # Added to a published achievement: its editors see it, the public only after review.
    assert good.json()["review_status"] == "pending"
    assert [v["title"] for v in owner.get(url).json()] == ["演示"]
    assert api.get(url).json() == []
    assert (
        owner.delete(reverse("api:achievement-video", args=[listing.pk, good.json()["id"]])).status_code
        == 204
    )
    assert not AchievementVideo.objects.exists()


def test_api_file_list_query_count_is_pinned(api, cast, listing, run_on_commit, pinned_queries):
    for n in range(4):
        _add(cast, listing, run_on_commit, name=f"图{n}.png")

    with pinned_queries("files"):
        assert len(api.get(reverse("api:achievement-files", args=[listing.pk])).json()) == 4
