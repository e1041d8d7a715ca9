"""Attachments are confidential: downloaded through a permission check, removed only by owners."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techbridge.achievements import services
from techbridge.achievements.models import AchievementAttachment
from techbridge.testing.factories.achievements import make_achievement

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 confidential drawing"


@pytest.fixture
def attached(cast, media_root):
    a = make_achievement(cast)
    att = services._save_attachment(a, SimpleUploadedFile("工艺图纸.pdf", CONTENT), cast.researcher)
    return a, att


def download(client, a, att):
    return client.get(reverse("achievements:attachment", args=[a.pk, att.pk]))


@pytest.mark.parametrize("who", ["researcher", "univ_admin", "reviewer"])
def test_owner_and_reviewers_download_the_file(client, cast, attached, who):
    a, att = attached
    client.force_login(getattr(cast, who))

    response = download(client, a, att)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert "attachment" in response["Content-Disposition"]


def test_buyer_downloads_only_after_accepting_the_nda(client, cast, attached):
    a, att = attached
    client.force_login(cast.buyer)

    before = download(client, a, att)
    client.post(reverse("achievements:accept_nda", args=[a.pk]))
    after = download(client, a, att)

    assert before.status_code == 403
    assert after.status_code == 200


@pytest.mark.parametrize("who", ["outsider", "broker", "official"])
def test_others_are_refused(client, cast, attached, who):
    a, att = attached
    client.force_login(getattr(cast, who))

    assert download(client, a, att).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, attached):
    a, att = attached

    response = download(client, a, att)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_attachments_of_a_draft_are_not_found_by_outsiders(client, cast, media_root):
    a = make_achievement(cast, published=False)
    att = services._save_attachment(a, SimpleUploadedFile("草稿.pdf", CONTENT), cast.researcher)
    client.force_login(cast.outsider)

    assert download(client, a, att).status_code == 404


def test_an_attachment_is_only_reached_through_its_own_achievement(client, cast, attached):
    _a, att = attached
    other = make_achievement(cast, title="另一个成果")
    client.force_login(cast.buyer)
    client.post(reverse("achievements:accept_nda", args=[other.pk]))

    assert download(client, other, att).status_code == 404


def test_files_are_listed_only_to_people_who_see_the_detail(client, cast, attached):
    a, _att = attached
    url = reverse("achievements:detail", args=[a.pk])

    assert "工艺图纸.pdf" not in client.get(url).content.decode()
    client.force_login(cast.researcher)
    assert "工艺图纸.pdf" in client.get(url).content.decode()


def test_owner_removes_a_file(client, cast, attached):
    a, att = attached
    client.force_login(cast.researcher)

    response = client.post(reverse("achievements:attachment_delete", args=[a.pk, att.pk]))

    assert response.status_code == 302
    assert not AchievementAttachment.objects.exists()


@pytest.mark.parametrize("who", ["buyer", "reviewer"])
def test_others_cannot_remove_a_file(client, cast, attached, who):
    a, att = attached
    client.force_login(getattr(cast, who))

    response = client.post(reverse("achievements:attachment_delete", args=[a.pk, att.pk]))

    assert response.status_code == 403
    assert AchievementAttachment.objects.filter(pk=att.pk).exists()


def test_removing_needs_a_post(client, cast, attached):
    a, att = attached
    client.force_login(cast.researcher)

    assert client.get(reverse("achievements:attachment_delete", args=[a.pk, att.pk])).status_code == 405
    assert AchievementAttachment.objects.filter(pk=att.pk).exists()
