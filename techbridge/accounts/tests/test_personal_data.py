"""A person's copy of their data (个人信息保护法 art. 45): page, workbook and API; their own data only."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from techbridge.core.models import AuditEntry
from techbridge.deals.models import Message
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.deals import RoomFactory
from techbridge.testing.factories.demands import make_demand

pytestmark = pytest.mark.django_db

PAGE = "/accounts/my-data/"
API = "/api/v1/auth/my-data/"


@pytest.fixture
def records(cast):
    """The researcher's achievement and message; the buyer's demand and message (not the researcher's)."""
    achievement = make_achievement(cast, title="研究员的成果", indexed=False)
    make_demand(cast, title="企业的需求", indexed=False)
    room = RoomFactory(achievement=achievement)
    Message.objects.create(room=room, author=cast.researcher, body="研究员发的消息")
    Message.objects.create(room=room, author=cast.buyer, body="企业发的消息")
    return achievement


def _workbook_text(content: bytes) -> dict[str, str]:
    wb = load_workbook(BytesIO(content), read_only=True)
    return {
        ws.title: "\n".join(
            " ".join(str(c) for c in row if c is not None) for row in ws.iter_rows(values_only=True)
        )
        for ws in wb.worksheets
    }


def test_the_page_lists_what_the_copy_holds(client, cast, records):
    client.force_login(cast.researcher)

    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "个人信息保护法" in page
    assert "科技成果" in page  # the achievements section, by its Chinese name
    assert "下载" in page


def test_the_workbook_holds_my_records_and_not_other_peoples(client, cast, records):
    client.force_login(cast.researcher)

    response = client.post(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(_workbook_text(response.content).values())
    assert cast.researcher.username in text
    assert "研究员的成果" in text
    assert "研究员发的消息" in text
    assert "企业的需求" not in text and "企业发的消息" not in text
    assert cast.researcher.password not in text  # the password hash is never written out
    entry = AuditEntry.objects.get(action="accounts.user.data_exported")
    assert entry.actor == cast.researcher and entry.data["format"] == "xlsx"


def test_the_api_gives_the_same_copy_as_json(cast, records):
    client = APIClient()
    client.force_authenticate(cast.buyer)

    body = client.get(API).json()

    keys = {s["key"]: s for s in body["sections"]}
    assert keys["accounts.User"]["rows"][0][1] == cast.buyer.username
    assert "demands.Demand" in keys and "achievements.Achievement" not in keys
    messages = keys["deals.Message"]
    body_column = messages["headers"].index("说明") if "说明" in messages["headers"] else None
    assert any("企业发的消息" in map(str, row) for row in messages["rows"]), body_column
    assert not any("研究员发的消息" in map(str, row) for row in messages["rows"])
    assert AuditEntry.objects.filter(action="accounts.user.data_exported", actor=cast.buyer).count() == 1


def test_anonymous_callers_get_nothing(client):
    assert APIClient().get(API).status_code == 401
    assert client.get(PAGE).status_code == 302
