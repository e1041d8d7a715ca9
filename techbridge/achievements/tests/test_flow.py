"""The whole path of an achievement, through the pages only: create, submit, approve, find."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus

pytestmark = pytest.mark.django_db


def test_researcher_publishes_and_an_anonymous_visitor_finds_it(client, cast, run_on_commit):
    client.force_login(cast.researcher)
    with run_on_commit(execute=True):
        client.post(
            "/achievements/new/",
            {
                "title": "一种锂电池隔膜的低温制备工艺",
                "kind": "invention_patent",
                "fields": ["materials"],
                "trl": "6",
                "price_negotiable": "on",
                "summary": "低温制备高孔隙率隔膜，提升电池安全性。",
                "detail": "核心参数：溶剂配比镧铈九比一",
                "and_submit": "1",
            },
        )
    a = Achievement.objects.get()
    assert a.status == ReviewStatus.SUBMITTED

    client.force_login(cast.reviewer)
    with run_on_commit(execute=True):
        client.post(reverse("achievements_console:review", args=[a.pk]), {"decision": "approve"})

    client.logout()
    found = client.get(reverse("achievements:list"), {"q": "锂电池隔膜"})
    html = found.content.decode()
    assert [x.pk for x in found.context["page"].object_list] == [a.pk]
    assert "<mark>锂电池</mark>" in html
    assert "镧铈九比一" not in client.get(reverse("achievements:detail", args=[a.pk])).content.decode()
    secret_search = client.get(reverse("achievements:list"), {"q": "镧铈"})
    assert list(secret_search.context["page"].object_list) == []


def test_withdrawn_achievement_leaves_the_search(client, cast, run_on_commit):
    from techbridge.testing.factories.achievements import make_achievement

    a = make_achievement(cast, title="将被撤回的隔膜成果")
    client.force_login(cast.researcher)

    with run_on_commit(execute=True):
        response = client.post(reverse("achievements:withdraw", args=[a.pk]))

    a.refresh_from_db()
    assert response.status_code == 302
    assert a.status == ReviewStatus.WITHDRAWN
    client.logout()
    assert list(client.get(reverse("achievements:list"), {"q": "隔膜"}).context["page"].object_list) == []
