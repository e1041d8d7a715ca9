"""Reviewing achievements in the console: reviewers and operators only; rejecting needs a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements import services
from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories.achievements import SECRET, make_achievement

pytestmark = pytest.mark.django_db

QUEUE = "/console/achievements/"


@pytest.fixture
def submitted(cast):
    a = make_achievement(cast, published=False, title="待审核的隔膜成果")
    Achievement.objects.filter(pk=a.pk).update(status=ReviewStatus.SUBMITTED)
    a.refresh_from_db()
    return a


def review_url(a):
    return reverse("achievements_console:review", args=[a.pk])


@pytest.mark.parametrize("who", ["official", "buyer", "researcher", "univ_admin", "outsider"])
def test_console_is_forbidden_to_everyone_but_reviewers(client, cast, submitted, who):
    client.force_login(getattr(cast, who))

    assert client.get(QUEUE).status_code == 403
    assert client.get(review_url(submitted)).status_code == 403
    assert client.post(review_url(submitted), {"decision": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(client, submitted):
    for url in (QUEUE, review_url(submitted)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_queue_lists_submitted_oldest_first_with_tabs(client, cast, pinned_queries):
    now = timezone.now()
    for age in [1, 30, 5]:
        a = make_achievement(cast, published=False, title=f"待审{age}天")
        Achievement.objects.filter(pk=a.pk).update(
            status=ReviewStatus.SUBMITTED, updated_at=now - timedelta(days=age)
        )
    for n in range(3):
        make_achievement(cast, title=f"已发布{n}")
    client.force_login(cast.reviewer)

    with pinned_queries("queue"):
        response = client.get(QUEUE)
    published_tab = client.get(QUEUE, {"tab": "published"})

    assert [a.title for a in response.context["page"].object_list] == ["待审30天", "待审5天", "待审1天"]
    assert dict((name, n) for name, _label, n in response.context["tabs"])["published"] == 3
    assert len(published_tab.context["page"].object_list) == 3


def test_stale_tab_lists_stale_published_achievements(client, cast):
    stale = make_achievement(cast, title="过期成果")
    Achievement.objects.filter(pk=stale.pk).update(stale_since=timezone.now())
    make_achievement(cast, title="新鲜成果")
    client.force_login(cast.operator)

    response = client.get(QUEUE, {"tab": "stale"})

    assert [a.title for a in response.context["page"].object_list] == ["过期成果"]


def test_review_page_shows_confidential_detail_and_history(client, cast):
    a = make_achievement(cast, published=False, title="刚提交的隔膜成果")
    services.submit_achievement(a, actor=cast.researcher)
    client.force_login(cast.reviewer)

    html = client.get(review_url(a)).content.decode()

    assert SECRET in html
    history = html.split('class="history"')[1]
    assert cast.researcher.display_name in history  # who submitted it
    assert f"{ReviewStatus.DRAFT.label} → {ReviewStatus.SUBMITTED.label}" in history
    assert 'value="approve"' in html and 'value="reject"' in html


def test_reviewer_approves_and_the_achievement_becomes_searchable(client, cast, submitted, run_on_commit):
    client.force_login(cast.reviewer)

    with run_on_commit(execute=True):
        response = client.post(review_url(submitted), {"decision": "approve"})

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.status == ReviewStatus.PUBLISHED
    client.logout()
    found = client.get("/achievements/", {"q": "隔膜"})
    assert [a.pk for a in found.context["page"].object_list] == [submitted.pk]


def test_reviewer_rejects_with_a_reason_the_owner_then_sees(client, cast, submitted):
    client.force_login(cast.reviewer)

    client.post(review_url(submitted), {"decision": "reject", "reason": "请补充与现有技术的对比数据"})

    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.REJECTED
    assert submitted.reject_reason == "请补充与现有技术的对比数据"
    client.force_login(cast.researcher)
    assert "请补充与现有技术的对比数据" in client.get(reverse("portal:mine")).content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_without_a_reason_is_refused(client, cast, submitted, reason):
    client.force_login(cast.reviewer)

    response = client.post(review_url(submitted), {"decision": "reject", "reason": reason})

    submitted.refresh_from_db()
    assert response.status_code == 200
    assert submitted.status == ReviewStatus.SUBMITTED
    assert "reason" in response.context["form"].errors
    assert _("Nothing was changed. Give the owner a reason for the rejection.") in response.content.decode()


def test_deciding_twice_gives_a_message_not_an_error(client, cast, submitted):
    client.force_login(cast.reviewer)
    client.post(review_url(submitted), {"decision": "approve"})

    response = client.post(review_url(submitted), {"decision": "reject", "reason": "晚了"}, follow=True)

    submitted.refresh_from_db()
    assert response.status_code == 200
    assert submitted.status == ReviewStatus.PUBLISHED
    refusal = _("This action is not possible while the record is %(state)s.") % {
        "state": ReviewStatus.PUBLISHED.label
    }
    assert refusal in response.content.decode()


def test_unknown_decision_is_not_found(client, cast, submitted):
    client.force_login(cast.reviewer)

    assert client.post(review_url(submitted), {"decision": "delete"}).status_code == 404
