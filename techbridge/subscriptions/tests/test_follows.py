"""A signed-in user follows achievements, demands, service institutions and events from their pages (a
☆ button, htmx) or the API, finds them under 我的关注 and in my work, and never follows — or keeps
seeing — a record they may not see."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.core.workflow import ReviewStatus
from techbridge.subscriptions import services
from techbridge.subscriptions.models import Follow
from techbridge.testing.factories import AchievementFactory, DemandFactory, publish
from techbridge.testing.factories.events import make_event

pytestmark = pytest.mark.django_db


def _achievement(cast, **extra):
    a = AchievementFactory(
        owner=cast.university, created_by=cast.researcher, title="高安全锂电池隔膜制备技术", **extra
    )
    publish(a)
    return a


def test_following_from_the_page_with_htmx_and_finding_it_again(cast, client):
    achievement = _achievement(cast)
    client.force_login(cast.buyer)
    page = client.get(reverse("achievements:detail", args=[achievement.pk])).content.decode()
    assert "☆ 关注" in page
    url = reverse("subscriptions:toggle", args=["achievement", achievement.pk])
    button = client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "★ 已关注" in button and 'aria-pressed="true"' in button
    assert client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true").status_code == 200  # twice: still one
    assert Follow.objects.filter(user=cast.buyer).count() == 1
    mine = client.get(reverse("subscriptions:follows")).content.decode()
    assert "高安全锂电池隔膜制备技术" in mine and "科技成果" in mine
    assert "高安全锂电池隔膜制备技术" in client.get(reverse("portal:mine")).content.decode()
    client.post(url, {"follow": "0"}, HTTP_HX_REQUEST="true")
    assert not Follow.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="subscriptions.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["subscriptions.follow.created", "subscriptions.follow.removed"]


def test_demands_institutions_and_events_have_the_button_too(cast, client):
    demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title="需要低成本隔膜")
    publish(demand)
    event = make_event(title="新材料成果发布会")
    client.force_login(cast.researcher)
    for url in (reverse("demands:detail", args=[demand.pk]), reverse("events:detail", args=[event.pk])):
        assert "☆ 关注" in client.get(url).content.decode(), url
    services.follow(cast.researcher, kind="event", pk=event.pk)
    assert "★ 已关注" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(cast, client):
    achievement = _achievement(cast)
    assert "登录后关注" in client.get(reverse("achievements:detail", args=[achievement.pk])).content.decode()
    response = client.post(reverse("subscriptions:toggle", args=["achievement", achievement.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with pytest.raises(PermissionDenied):
        services.follow(None, kind="achievement", pk=achievement.pk)


def test_nobody_follows_what_they_may_not_see_and_a_withdrawn_record_leaves_the_list(cast):
    draft = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    with pytest.raises(Http404):
        services.follow(cast.buyer, kind="achievement", pk=draft.pk)
    achievement = _achievement(cast)
    services.follow(cast.buyer, kind="achievement", pk=achievement.pk)
    from techbridge.subscriptions.queries import followed

    assert [f.title for f in followed(cast.buyer)] == ["高安全锂电池隔膜制备技术"]
    type(achievement).objects.filter(pk=achievement.pk).update(status=ReviewStatus.WITHDRAWN)
    assert followed(cast.buyer) == []


def test_the_api_lists_follows_and_unfollows(cast, as_user):
    achievement = _achievement(cast)
    api = as_user(cast.buyer)
    made = api.post(
        reverse("api:follow-list"), {"kind": "achievement", "object_id": achievement.pk}, format="json"
    )
    assert made.status_code == 201 and made.json()["title"] == "高安全锂电池隔膜制备技术"
    again = api.post(
        reverse("api:follow-list"), {"kind": "achievement", "object_id": achievement.pk}, format="json"
    )
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    assert [row["url"] for row in api.get(reverse("api:follow-list")).json()] == [
        f"/achievements/{achievement.pk}/"
    ]
    other = as_user(cast.researcher)
    assert other.delete(reverse("api:follow-detail", args=[made.json()["id"]])).status_code == 404
    assert api.delete(reverse("api:follow-detail", args=[made.json()["id"]])).status_code == 204
    assert api.get(reverse("api:follow-list")).json() == []


def test_the_api_answers_bad_input_with_messages(cast, as_user):
    api = as_user(cast.buyer)
    bad = api.post(reverse("api:follow-list"), {"kind": "planet", "object_id": "²"}, format="json")
    assert bad.status_code == 400 and "planet" in bad.content.decode()
    missing = api.post(reverse("api:follow-list"), {"kind": "event", "object_id": 999999}, format="json")
    assert missing.status_code == 404


def test_events_are_followed_through_the_api_and_drafts_are_not_confirmed(cast, as_user):
    event = make_event(title="长三角技术转移路演")
    draft = make_event(title="未发布的闭门会", status="draft")
    api = as_user(cast.buyer)
    made = api.post(reverse("api:follow-list"), {"kind": "event", "object_id": event.pk}, format="json")
    assert made.status_code == 201 and made.json()["title"] == "长三角技术转移路演"
    assert [row["url"] for row in api.get(reverse("api:follow-list")).json()] == [f"/events/{event.pk}/"]
    hidden = api.post(reverse("api:follow-list"), {"kind": "event", "object_id": draft.pk}, format="json")
    assert hidden.status_code == 404
