"""The unread-notifications badge is counted once per request, even when a page renders in parts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.core import NotificationFactory

pytestmark = pytest.mark.django_db


def _unread_counts(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "core_notification" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]


@pytest.mark.parametrize("url", ["/achievements/", "/demands/", "/achievements/?q=隔膜"])
def test_list_pages_count_unread_notifications_once(client, cast, url):
    make_achievement(cast, title="锂电池隔膜")
    for n in range(3):
        NotificationFactory(recipient=cast.buyer, kind="deal", title=f"新的洽谈{n}", body="", link="/deals/")
    client.force_login(cast.buyer)

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)

    assert response.status_code == 200
    assert len(_unread_counts(ctx)) == 1
    assert response.context["unread_notifications"] == 3
    assert 'title="未读通知">3</span>' in response.content.decode()


def test_unread_count_is_still_right_after_marking_read(client, cast):
    note = NotificationFactory(recipient=cast.buyer, kind="deal", title="新的洽谈", body="", link="/deals/")
    NotificationFactory(recipient=cast.buyer, kind="deal", title="另一条", body="", link="/deals/")
    client.force_login(cast.buyer)

    client.post(f"/accounts/notifications/{note.pk}/read/")
    response = client.get("/accounts/notifications/")

    assert response.context["unread_notifications"] == 1
