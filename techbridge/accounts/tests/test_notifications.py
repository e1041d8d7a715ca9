"""The notifications page: newest first, unread highlighted, mark read one by one or all at once."""

import pytest
from django.urls import reverse

from techbridge.core.models import Notification
from techbridge.core.notifications import notify
from techbridge.testing.factories.core import NotificationFactory


@pytest.fixture
def inbox(cast):
    old = NotificationFactory(recipient=cast.buyer, title="较早的通知")
    new = NotificationFactory(recipient=cast.buyer, title="最新的通知")
    return old, new


@pytest.mark.django_db
def test_notifications_are_listed_newest_first_with_unread_marked(client, cast, inbox):
    NotificationFactory(recipient=cast.researcher, title="别人的通知")
    client.force_login(cast.buyer)

    response = client.get(reverse("accounts:notifications"))
    page = response.content.decode()

    assert page.index("最新的通知") < page.index("较早的通知")
    assert "别人的通知" not in page
    assert "2 unread" in page
    assert page.count(">Unread</span>") == 2 and page.count("Mark as read") == 2


@pytest.mark.django_db
def test_marking_one_read_removes_it_from_unread(client, cast, inbox):
    old, _new = inbox
    client.force_login(cast.buyer)

    response = client.post(reverse("accounts:notification_read", args=[old.pk]))

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.read_at is not None
    assert client.get(reverse("accounts:notifications")).context["unread_notifications"] == 1


@pytest.mark.django_db
def test_marking_read_with_htmx_returns_the_updated_item(client, cast, inbox):
    old, _new = inbox
    client.force_login(cast.buyer)

    response = client.post(reverse("accounts:notification_read", args=[old.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{old.pk}"' in body and "较早的通知" in body
    assert "Unread" not in body and "Mark as read" not in body
    assert 'id="unread-count" hx-swap-oob="true">1 unread' in body
    assert "<html" not in body


@pytest.mark.django_db
def test_open_marks_read_and_goes_to_the_link(client, cast):
    notify(cast.buyer, kind="t", title="有新的匹配", link="/accounts/profile/")
    n = Notification.objects.get(recipient=cast.buyer)
    client.force_login(cast.buyer)

    response = client.post(reverse("accounts:notification_read", args=[n.pk]), {"next": n.link})

    assert response.url == "/accounts/profile/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.django_db
def test_mark_all_read(client, cast, inbox):
    client.force_login(cast.buyer)

    client.post(reverse("accounts:notifications_read_all"))

    assert not Notification.objects.filter(recipient=cast.buyer, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_another_users_notification_cannot_be_marked(client, cast, inbox):
    old, _new = inbox
    client.force_login(cast.researcher)

    response = client.post(reverse("accounts:notification_read", args=[old.pk]))

    assert response.status_code == 404
    old.refresh_from_db()
    assert old.read_at is None


@pytest.mark.django_db
def test_mark_all_only_touches_own_notifications(client, cast, inbox):
    client.force_login(cast.researcher)

    client.post(reverse("accounts:notifications_read_all"))

    assert Notification.objects.filter(recipient=cast.buyer, read_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_marking_read_needs_post(client, cast, inbox):
    old, _new = inbox
    client.force_login(cast.buyer)

    assert client.get(reverse("accounts:notification_read", args=[old.pk])).status_code == 405


@pytest.mark.django_db
def test_notifications_page_is_paginated_with_fixed_query_count(client, cast, pinned_queries):
    Notification.objects.bulk_create(
        [Notification(recipient=cast.buyer, kind="t", title=f"通知{i:02d}") for i in range(45)]
    )
    client.force_login(cast.buyer)

    with pinned_queries("page 1"):
        response = client.get(reverse("accounts:notifications"))

    assert len(response.context["page"]) == 20 and "通知44" in response.content.decode()
    assert client.get(reverse("accounts:notifications") + "?page=3").context["page"].number == 3
    assert client.get(reverse("accounts:notifications") + "?page=abc").status_code == 200


@pytest.mark.django_db
def test_notifications_need_sign_in(client):
    response = client.get(reverse("accounts:notifications"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
