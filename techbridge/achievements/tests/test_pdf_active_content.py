"""PDFs with scripts, automatic actions or embedded files are refused as attachments (issue 20, 12)."""

from __future__ import annotations

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.achievements.models import Achievement, AchievementAttachment
from techbridge.lib.pdf import active_content

from .test_forms import CREATE, valid_data

pytestmark = pytest.mark.django_db

INERT = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
OPEN_ACTION_JS = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"3 0 obj\n<< /S /JavaScript /JS (app.alert\\('x'\\)) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# The same names spelt with #xx escapes.
ESCAPED = OPEN_ACTION_JS.replace(b"/OpenAction", b"/Open#41ction").replace(b"/JavaScript", b"/J#61vaScript")


def object_stream(payload: bytes) -> bytes:
    """A PDF whose dictionaries sit in a compressed object stream (as most PDF writers make them)."""
    packed = zlib.compress(payload)
    return (
        b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )


def test_the_scanner_finds_active_names_raw_escaped_and_in_object_streams():
    assert active_content(INERT) == []
    assert active_content(OPEN_ACTION_JS) == ["JS", "JavaScript", "OpenAction"]
    assert active_content(ESCAPED) == ["JS", "JavaScript", "OpenAction"]
    assert active_content(object_stream(b"3 0 << /Type /Action /S /Launch /F (cmd.exe) >>")) == ["Launch"]
    assert active_content(object_stream(b"3 0 << /Names << /EmbeddedFiles 4 0 R >> >>")) == ["EmbeddedFiles"]
    # A name that merely starts like one is not active content.
    assert active_content(b"%PDF-1.4 << /JSONData 1 /AAA 2 >>") == []


@pytest.mark.parametrize(
    "content",
    [OPEN_ACTION_JS, ESCAPED, object_stream(b"<< /AA << /O 6 0 R >> >>")],
    ids=["raw", "escaped", "objstm"],
)
def test_a_pdf_with_active_content_is_refused_with_a_chinese_message(client, cast, media_root, content):
    client.force_login(cast.researcher)

    response = client.post(
        CREATE,
        {**valid_data(), "attachments": [SimpleUploadedFile("说明书.pdf", content)]},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 200
    assert "该 PDF 含有活动内容" in " ".join(response.context["form"].errors["attachments"])
    assert not Achievement.objects.exists() and not AchievementAttachment.objects.exists()


def test_an_inert_pdf_is_accepted(client, cast, media_root):
    client.force_login(cast.researcher)

    client.post(CREATE, {**valid_data(), "attachments": [SimpleUploadedFile("说明书.pdf", INERT)]})

    assert AchievementAttachment.objects.get().name == "说明书.pdf"
