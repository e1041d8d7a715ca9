"""The owner's moves (submit, withdraw, reopen): buttons only where allowed, refusals explained."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories.achievements import make_achievement

pytestmark = pytest.mark.django_db


def test_owner_submits_a_draft(client, cast, draft):
    client.force_login(cast.researcher)

    response = client.post(reverse("achievements:submit", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.status == ReviewStatus.SUBMITTED
    assert _("Submitted for review. You will be notified of the decision.") in response.content.decode()


def test_submitting_twice_gives_a_message(client, cast, draft):
    client.force_login(cast.researcher)
    client.post(reverse("achievements:submit", args=[draft.pk]))

    response = client.post(reverse("achievements:submit", args=[draft.pk]), follow=True)

    refusal = _("This action is not possible while the record is %(state)s.") % {
        "state": ReviewStatus.SUBMITTED.label
    }
    assert refusal in response.content.decode()


def test_owner_withdraws_and_reopens(client, cast, published):
    client.force_login(cast.researcher)

    client.post(reverse("achievements:withdraw", args=[published.pk]))
    published.refresh_from_db()
    assert published.status == ReviewStatus.WITHDRAWN
    html = client.get(reverse("achievements:detail", args=[published.pk])).content.decode()
    assert reverse("achievements:reopen", args=[published.pk]) in html
    assert reverse("achievements:edit", args=[published.pk]) not in html

    client.post(reverse("achievements:reopen", args=[published.pk]))
    published.refresh_from_db()
    assert published.status == ReviewStatus.DRAFT


@pytest.mark.parametrize("action", ["submit", "withdraw", "reopen"])
@pytest.mark.parametrize("who", ["buyer", "reviewer", "outsider"])
def test_others_cannot_move_an_achievement(client, cast, published, action, who):
    client.force_login(getattr(cast, who))

    response = client.post(reverse(f"achievements:{action}", args=[published.pk]))

    published.refresh_from_db()
    assert response.status_code == 403
    assert published.status == ReviewStatus.PUBLISHED


def test_operator_may_withdraw_any_achievement(client, cast, published):
    client.force_login(cast.operator)

    client.post(reverse("achievements:withdraw", args=[published.pk]))

    published.refresh_from_db()
    assert published.status == ReviewStatus.WITHDRAWN


def test_moves_need_a_post(client, cast, draft):
    client.force_login(cast.researcher)

    assert client.get(reverse("achievements:submit", args=[draft.pk])).status_code == 405


def test_moves_return_to_a_safe_next_page_only(client, cast):
    a = make_achievement(cast, published=False)
    b = make_achievement(cast, published=False)
    client.force_login(cast.researcher)

    inside = client.post(reverse("achievements:submit", args=[a.pk]), {"next": "/mine/"})
    outside = client.post(reverse("achievements:submit", args=[b.pk]), {"next": "https://evil.example/"})

    assert inside.url == "/mine/"
    assert outside.url == reverse("achievements:detail", args=[b.pk])
