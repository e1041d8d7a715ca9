"""Creating and editing achievements on the portal: who may, what is refused, what is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement, AchievementAttachment
from techbridge.core.workflow import ReviewStatus
from techbridge.organizations.choices import OrgStatus
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.files import office_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

CREATE = "/achievements/new/"


def valid_data(**overrides):
    data = {
        "title": "一种高孔隙率锂电池隔膜的制备方法",
        "kind": "invention_patent",
        "fields": ["materials", "nev"],
        "trl": "5",
        "deal_modes": ["assignment", "license-ordinary"],
        "price": "50",
        "summary": "提高锂离子电池安全性和循环寿命的隔膜制备方法。",
        "advantages": "孔隙率提高20%",
        "detail": "保密：拉伸温度125℃",
        "keywords": "锂电池，隔膜",
        "patent_numbers": "CN202223220665.2",
        "ipc_codes": "H01M 50/403, G06F",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_researcher_creates_a_draft(client, cast):
    client.force_login(cast.researcher)

    response = client.post(CREATE, valid_data())

    a = Achievement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("achievements:detail", args=[a.pk])
    assert a.status == ReviewStatus.DRAFT
    assert a.owner == cast.university
    assert a.created_by == cast.researcher
    assert a.price == Decimal("500000.00")  # typed in 万元, stored in yuan
    assert a.price_negotiable is False
    assert sorted(a.fields.values_list("code", flat=True)) == ["materials", "nev"]
    assert sorted(a.deal_modes.values_list("code", flat=True)) == ["assignment", "license-ordinary"]


def test_save_and_submit_sends_it_to_review(client, cast):
    client.force_login(cast.researcher)

    client.post(CREATE, valid_data(and_submit="1"))

    assert Achievement.objects.get().status == ReviewStatus.SUBMITTED


def test_member_of_a_pending_organisation_may_create_but_not_submit(client, cast):
    Organization = type(cast.university)
    Organization.objects.filter(pk=cast.university.pk).update(status=OrgStatus.PENDING)
    client.force_login(cast.researcher)

    response = client.post(CREATE, valid_data(and_submit="1"), follow=True)

    a = Achievement.objects.get()
    assert a.status == ReviewStatus.DRAFT
    html = response.content.decode()
    assert a.title in html  # the draft's own page
    assert escape(_("Saved, but not submitted: %(reason)s") % {"reason": ""}) in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"trl": "12"}, "trl"),
        ({"trl": None}, "trl"),
        ({"price": "-1"}, "price"),
        ({"fields": ["nonexistent"]}, "fields"),
        ({"deal_modes": ["barter"]}, "deal_modes"),
        ({"price": None}, "price"),  # neither a price nor 面议
        ({"title": ""}, "title"),
        ({"patent_numbers": "US1234567"}, "patent_numbers"),
        ({"ipc_codes": "XYZ"}, "ipc_codes"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, cast, overrides, field):
    client.force_login(cast.researcher)

    response = client.post(CREATE, valid_data(**overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert _("Nothing was saved. Please correct the errors below.") in html
    assert all(escape(error) in html for error in response.context["form"].errors[field])
    assert not Achievement.objects.exists()


def test_negotiable_without_a_price_is_fine(client, cast):
    client.force_login(cast.researcher)

    client.post(CREATE, valid_data(price=None, price_negotiable="on"))

    a = Achievement.objects.get()
    assert a.price is None and a.price_negotiable


@pytest.mark.parametrize(
    ("name", "size", "why"),
    [("setup.exe", 100, "type"), ("report.pdf", 2 * 1024 * 1024, "size"), ("empty.pdf", 0, "empty")],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(client, cast, settings, media_root, name, size, why):
    settings.ATTACHMENT_MAX_MB = 1
    client.force_login(cast.researcher)
    upload = SimpleUploadedFile(name, b"x" * size)

    response = client.post(CREATE, {**valid_data(), "attachments": [upload]})

    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Achievement.objects.exists()
    assert not AchievementAttachment.objects.exists()
    assert not list(media_root.rglob("*.*"))


def test_good_uploads_are_saved_with_the_draft(client, cast, media_root):
    client.force_login(cast.researcher)
    files = [
        SimpleUploadedFile("说明书.pdf", pdf_bytes()),
        SimpleUploadedFile("data.xlsx", office_bytes("xlsx")),
    ]

    client.post(CREATE, {**valid_data(), "attachments": files})

    a = Achievement.objects.get()
    assert sorted(a.attachments.values_list("name", flat=True)) == ["data.xlsx", "说明书.pdf"]


ONLY_DOCUMENTS = "只接受 PDF、Word（.docx）和 Excel（.xlsx）文档（按文件内容识别，而非扩展名）。"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "说明书.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00This program cannot be run in DOS mode",
            ONLY_DOCUMENTS,
        ),
        ("说明书.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", ONLY_DOCUMENTS),
        ("报告.docx", b"<html><body>not a word file</body></html>", ONLY_DOCUMENTS),
        ("样机.png", b"MZ\x90\x00 not an image", "这不是 JPEG、PNG、GIF 或 WebP 图片，或文件已损坏。"),
        ("图纸.pdf", png_bytes(), ONLY_DOCUMENTS),
        ("报告.xlsx", pdf_bytes(), "文件名以“.xlsx”结尾，但文件内容实际是 PDF 格式。请上传正确的文件。"),
    ],
    ids=["exe-as-pdf", "html-as-pdf", "html-as-docx", "exe-as-png", "png-as-pdf", "pdf-as-xlsx"],
)
def test_attachment_field_checks_the_content_not_the_name(client, cast, media_root, name, data, message):
    client.force_login(cast.researcher)

    response = client.post(CREATE, {**valid_data(), "attachments": [SimpleUploadedFile(name, data)]})

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [f"{name}: {message}"]
    assert message in response.content.decode()
    assert not Achievement.objects.exists() and not AchievementAttachment.objects.exists()


def test_attachment_field_stores_what_the_file_really_is(client, cast, media_root, run_on_commit):
    client.force_login(cast.researcher)

    with run_on_commit(execute=True):
        client.post(CREATE, {**valid_data(), "attachments": [SimpleUploadedFile("样机.png", png_bytes())]})

    att = AchievementAttachment.objects.get()
    assert (att.kind, att.content_type, att.width, att.visibility) == ("image", "image/png", 640, "nda")
    assert att.file.name.endswith(".png") and "样机" not in att.file.name and att.thumbnail


def test_one_bad_file_among_good_ones_saves_nothing(client, cast, media_root):
    client.force_login(cast.researcher)
    files = [SimpleUploadedFile("ok.pdf", b"%PDF"), SimpleUploadedFile("virus.exe", b"MZ")]

    client.post(CREATE, {**valid_data(), "attachments": files})

    assert not Achievement.objects.exists()
    assert not AchievementAttachment.objects.exists()


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("outsider", "Only members of an organisation can publish achievements."),
        ("official", "Your organisation may not publish on the platform at the moment."),
    ],
)
def test_people_who_may_not_publish_get_a_403_with_a_reason(client, cast, who, reason):
    if who == "official":
        type(cast.department).objects.filter(pk=cast.department.pk).update(status=OrgStatus.SUSPENDED)
    client.force_login(getattr(cast, who))

    page = client.get(CREATE)
    post = client.post(CREATE, valid_data())

    assert page.status_code == 403
    assert post.status_code == 403
    assert _(reason) in page.content.decode()
    assert not Achievement.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(CREATE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_edit_form_shows_the_price_in_wan(client, cast):
    a = make_achievement(cast, published=False, price_negotiable=False, price=Decimal("1234500"))
    client.force_login(cast.researcher)

    html = client.get(reverse("achievements:edit", args=[a.pk])).content.decode()

    assert 'value="123.45"' in html


def test_owner_edits_a_draft(client, cast, draft):
    client.force_login(cast.researcher)

    response = client.post(reverse("achievements:edit", args=[draft.pk]), valid_data(title="新的标题"))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.title == "新的标题"
    assert draft.status == ReviewStatus.DRAFT


def test_editing_a_published_achievement_warns_and_sends_it_back_to_review(client, cast, published):
    client.force_login(cast.univ_admin)
    url = reverse("achievements:edit", args=[published.pk])

    page = client.get(url).content.decode()
    response = client.post(url, valid_data(title="更新后的隔膜技术"), follow=True)

    published.refresh_from_db()
    warning = (
        "This listing is published. If you save changes it goes back to review and is hidden from the "
        "portal until a reviewer approves it again."
    )
    assert _(warning) in page
    assert published.title == "更新后的隔膜技术"
    assert published.status == ReviewStatus.SUBMITTED
    assert (
        _("Your changes were saved. The listing goes back to review before it is shown again.")
        in response.content.decode()
    )


@pytest.mark.parametrize("who", ["buyer", "broker", "outsider"])
def test_others_cannot_edit_a_university_achievement(client, cast, published, who):
    client.force_login(getattr(cast, who))
    url = reverse("achievements:edit", args=[published.pk])

    page = client.get(url)
    post = client.post(url, valid_data(title="被篡改"))

    published.refresh_from_db()
    assert page.status_code == 403
    assert post.status_code == 403
    assert published.title == "一种高效锂电池隔膜制备方法"


@pytest.mark.parametrize("who", ["reviewer", "operator"])
def test_reviewers_cannot_edit_content(client, cast, published, who):
    client.force_login(getattr(cast, who))

    response = client.post(reverse("achievements:edit", args=[published.pk]), valid_data(title="审核员改的"))

    published.refresh_from_db()
    assert response.status_code == 403
    assert published.title != "审核员改的"


def test_editing_someone_elses_draft_is_not_found(client, cast, draft):
    client.force_login(cast.buyer)

    assert client.get(reverse("achievements:edit", args=[draft.pk])).status_code == 404
