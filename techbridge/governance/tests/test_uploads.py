"""Governance uploads (report attachments, evidence of a manual target's figure, evidence of an
evaluation figure) are checked by their content with the listing upload's rules and messages: a program
or web page renamed .pdf or .xlsx is refused in Chinese, a real file of the kinds these uploads always
accepted goes through, and a refused file leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techbridge.governance.models import EvaluationFigure, ManualFigure, ReportAttachment
from techbridge.governance.services import reports as report_services
from techbridge.governance.services.evaluation import submit_figure
from techbridge.governance.services.plans import load_plan_file, record_figure

pytestmark = pytest.mark.django_db

NOT_ACCEPTED = (
    "只接受 PDF、Word、Excel、PowerPoint、纯文本、ZIP 文件和 JPEG、PNG 图片（按文件内容识别，而非扩展名）。"
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)
HTML = "<!DOCTYPE html><html><body><script>alert(1)</script>进展</body></html>".encode()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["季度", "完成值"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("进展.txt", "第一季度进展")
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


REFUSED = [
    ("进展材料.pdf", EXE, NOT_ACCEPTED),
    ("统计表.xlsx", HTML, NOT_ACCEPTED),
    ("说明.txt", HTML, NOT_ACCEPTED),
    ("资料.zip", EXE, NOT_ACCEPTED),
    ("统计表.pdf", _xlsx(), "文件名以“.pdf”结尾，但文件内容实际是 XLSX 格式。请上传正确的文件。"),
    ("空文件.pdf", b"", "文件为空。"),
    ("脚本.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /JS (x) >>"), "活动内容"),
]
ACCEPTED = [
    ("进展材料.pdf", PDF),
    ("统计表.xlsx", _xlsx()),
    ("现场照片.jpeg", None),
    ("说明.txt", "第一季度进展。".encode()),
]


def _accepted(name, data):
    return SimpleUploadedFile(name, data if data is not None else _jpeg())


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="JPEG")
    return out.getvalue()


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# ---- progress report attachments ----------------------------------------------------------------


@pytest.fixture
def report(plan, kw_official):
    plan.reporting_starts = dt.date(2020, 1, 1)
    plan.save()
    task = plan.tasks.get(number=2)
    return report_services.create_report(task, actor=kw_official, year=2020, quarter=4, summary="附件")


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_a_report_attachment_is_refused_by_its_content(report, kw_official, name, data, message):
    with pytest.raises(ValidationError) as exc:
        report_services.add_attachment(report, actor=kw_official, upload=SimpleUploadedFile(name, data))
    assert message in _message(exc)
    assert not ReportAttachment.objects.exists()
    media = Path(ReportAttachment._meta.get_field("file").storage.location)
    assert not list(media.rglob("*.*"))


@pytest.mark.parametrize(("name", "data"), ACCEPTED)
def test_a_real_report_attachment_is_accepted(report, kw_official, name, data):
    report_services.add_attachment(report, actor=kw_official, upload=_accepted(name, data))
    assert report.attachments.get().name == name


def test_the_report_page_and_the_api_say_why_a_renamed_file_is_refused(report, kw_official, client, as_user):
    client.force_login(kw_official)
    page = client.post(
        reverse("governance_console:report_attach", args=[report.pk]),
        {"file": SimpleUploadedFile("进展材料.pdf", EXE)},
        follow=True,
    ).content.decode()
    assert NOT_ACCEPTED in page
    answer = as_user(kw_official).post(
        reverse("api:governance-report-attachments", args=[report.pk]),
        {"file": SimpleUploadedFile("统计表.xlsx", HTML)},
        format="multipart",
    )
    assert answer.status_code == 400 and NOT_ACCEPTED in answer.json()["message"]
    assert not report.attachments.exists()
    accepted = as_user(kw_official).post(
        reverse("api:governance-report-attachments", args=[report.pk]),
        {"file": SimpleUploadedFile("统计表.xlsx", _xlsx())},
        format="multipart",
    )
    assert accepted.status_code == 201 and report.attachments.count() == 1


# ---- evidence of a manual target's figure -------------------------------------------------------


@pytest.fixture
def manual_target(plan):
    successor = load_plan_file(Path(__file__).parent / "data" / "plan_successor.json").plan
    return successor.targets.get(code="manual")


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_a_figure_s_evidence_file_is_refused_and_the_figure_is_left_as_it_was(
    manual_target, cast, name, data, message
):
    day = dt.date(2021, 12, 31)
    record_figure(manual_target, actor=cast.operator, as_of=day, value=Decimal("20"), evidence="统计公报")
    with pytest.raises(ValidationError) as exc:
        record_figure(
            manual_target,
            actor=cast.operator,
            as_of=day,
            value=Decimal("35"),
            evidence="更正",
            evidence_file=SimpleUploadedFile(name, data),
        )
    assert message in _message(exc)
    figure = ManualFigure.objects.get(target=manual_target, as_of=day)
    assert (figure.value, figure.evidence, figure.evidence_file.name) == (Decimal("20"), "统计公报", "")


@pytest.mark.parametrize(("name", "data"), ACCEPTED)
def test_a_real_evidence_file_of_a_figure_is_accepted(manual_target, cast, name, data):
    figure = record_figure(
        manual_target,
        actor=cast.operator,
        as_of=dt.date(2021, 12, 31),
        value=Decimal("20"),
        evidence="统计公报",
        evidence_file=_accepted(name, data),
    )
    assert ManualFigure.objects.get(pk=figure.pk).evidence_file.name.endswith(Path(name).suffix)


def test_the_target_page_says_why_an_evidence_file_is_refused(manual_target, cast, client):
    client.force_login(cast.operator)
    page = client.post(
        reverse("governance_console:target_figure", args=[manual_target.pk]),
        {
            "as_of": "2021-12-31",
            "value": "20",
            "evidence": "统计公报",
            "evidence_file": SimpleUploadedFile("统计表.xlsx", HTML),
        },
        follow=True,
    ).content.decode()
    assert NOT_ACCEPTED in page and not ManualFigure.objects.filter(target=manual_target).exists()


# ---- evidence of an evaluation figure -----------------------------------------------------------


def _evaluation(cast, upload):
    return submit_figure(
        cast.university,
        actor=cast.univ_admin,
        year=2024,
        input="spinoffs",
        value=Decimal("2"),
        evidence="工商登记：两家衍生企业",
        attachment=upload,
    )


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_an_evaluation_figure_s_evidence_is_refused_and_nothing_is_saved(cast, name, data, message):
    with pytest.raises(ValidationError) as exc:
        _evaluation(cast, SimpleUploadedFile(name, data))
    assert message in _message(exc)
    assert not EvaluationFigure.objects.exists()


@pytest.mark.parametrize(("name", "data"), ACCEPTED)
def test_a_real_evaluation_evidence_file_is_accepted(cast, name, data):
    figure = _evaluation(cast, _accepted(name, data))
    assert EvaluationFigure.objects.get(pk=figure.pk).attachment.name.endswith(Path(name).suffix)


def test_a_png_is_still_accepted_and_a_gif_was_never(cast):
    assert _evaluation(cast, SimpleUploadedFile("证书.png", _png())).attachment
    EvaluationFigure.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (4, 4)).save(out, format="GIF")
        _evaluation(cast, SimpleUploadedFile("证书.gif", out.getvalue()))
    assert NOT_ACCEPTED in _message(exc)


def test_the_evaluation_pages_say_why_an_evidence_file_is_refused(cast):
    from django.contrib.messages import get_messages
    from django.test import Client

    for user, url in (
        (cast.univ_admin, reverse("governance:university")),
        (cast.operator, reverse("governance_console:evaluation_figure", args=[cast.university.pk])),
    ):
        client = Client()
        client.force_login(user)
        answer = client.post(
            url,
            {
                "year": 2024,
                "input": "spinoffs",
                "value": "2",
                "evidence": "工商登记：两家衍生企业",
                "attachment": SimpleUploadedFile("营业执照.pdf", EXE),
            },
        )
        assert answer.status_code == 302
        assert [str(m) for m in get_messages(answer.wsgi_request)] == [NOT_ACCEPTED], user
    assert not EvaluationFigure.objects.exists()


def _ooxml(main_part: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml", b'<Types><Override ContentType="' + main_part + b'"/></Types>'
        )
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (
            _ooxml(b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
            "pptx",
        ),
        (OLE2 + "WordDocument".encode("utf-16-le"), "doc"),
        (OLE2 + "Workbook".encode("utf-16-le"), "xls"),
        (OLE2 + "PowerPoint Document".encode("utf-16-le"), "ppt"),
        (OLE2 + "Something Else".encode("utf-16-le"), ""),
        ("年度进展\r\n".encode("gb18030"), "txt"),
        (b"\xef\xbb\xbf  <html><body>x</body></html>", ""),
        (b"text with a \x00 byte", ""),
        (EXE, ""),
    ],
)
def test_what_a_file_is_comes_from_its_bytes(data, kind):
    from techbridge.lib import documents

    assert documents.identify(data) == kind


def test_an_old_office_file_keeps_being_accepted_under_its_own_name(cast):
    figure = _evaluation(cast, SimpleUploadedFile("统计.xls", OLE2 + "Workbook".encode("utf-16-le")))
    assert figure.attachment.name.endswith(".xls")
    EvaluationFigure.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        _evaluation(cast, SimpleUploadedFile("统计.doc", OLE2 + "Workbook".encode("utf-16-le")))
    assert "实际是 XLS 格式" in _message(exc)
