"""Notifications: a dedupe key makes a notification once-only per recipient; e-mail follows the commit."""

from __future__ import annotations

import pytest

from techbridge.core.models import Notification
from techbridge.core.notifications import notify

pytestmark = pytest.mark.django_db


def test_same_dedupe_key_is_sent_once(actor):
    assert notify(actor, kind="listing_stale", title="请更新您的成果", dedupe_key="stale:1:202611") is True
    assert (
        notify(actor, kind="listing_stale", title="请更新您的成果（再次）", dedupe_key="stale:1:202611")
        is False
    )
    assert list(Notification.objects.values_list("title", flat=True)) == ["请更新您的成果"]


def test_the_same_key_reaches_each_recipient_once(actor, make_user):
    other = make_user("core_other")
    assert notify(actor, kind="k", title="t", dedupe_key="same") is True
    assert notify(other, kind="k", title="t", dedupe_key="same") is True
    assert notify(other, kind="k", title="t", dedupe_key="same") is False
    assert Notification.objects.filter(dedupe_key="same").count() == 2


def test_without_a_key_every_notification_is_sent(actor):
    assert notify(actor, kind="k", title="一") is True
    assert notify(actor, kind="k", title="一") is True
    assert Notification.objects.filter(recipient=actor).count() == 2


def test_a_duplicate_does_not_break_the_surrounding_transaction(actor):
    from django.db import transaction

    with transaction.atomic():
        notify(actor, kind="k", title="first", dedupe_key="once")
        assert notify(actor, kind="k", title="again", dedupe_key="once") is False
        # The transaction is still usable after the swallowed IntegrityError.
        notify(actor, kind="k", title="after", dedupe_key="")
    assert sorted(Notification.objects.values_list("title", flat=True)) == ["after", "first"]


def test_long_titles_are_cut_to_the_column(actor):
    notify(actor, kind="k", title="长" * 500)
    assert len(Notification.objects.get().title) == 200


def test_email_goes_out_after_commit_and_only_for_the_first_send(actor, mailoutbox, run_on_commit):
    with run_on_commit(execute=True):
        notify(
            actor, kind="k", title="您的成果已发布", body="正文", link="/achievements/1/", dedupe_key="pub:1"
        )
        notify(
            actor, kind="k", title="您的成果已发布", body="正文", link="/achievements/1/", dedupe_key="pub:1"
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert (mail.subject, mail.to) == ("您的成果已发布", [actor.email])
    assert "正文" in mail.body and "/achievements/1/" in mail.body


def test_no_email_for_a_recipient_without_address(make_user, mailoutbox, run_on_commit):
    user = make_user("core_no_mail")
    user.email = ""
    user.save()
    with run_on_commit(execute=True):
        assert notify(user, kind="k", title="t") is True
    assert mailoutbox == []
