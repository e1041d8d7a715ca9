"""Files and video links added to an achievement the public already sees wait for a reviewer: the owner
and reviewers see them (marked 待审核), the public and the API for anyone else do not, until a reviewer
approves them in the review console (or rejects them with a reason the owner is told)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.achievements import services
from techbridge.achievements.files import FILES
from techbridge.achievements.models import AchievementAttachment, AchievementVideo
from techbridge.core.listing_files import FileReview, add_video
from techbridge.core.models import AuditEntry, Notification
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.files import add_listing_file, png_bytes, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def listing(cast, media_root):
    return make_achievement(cast, title="高强度隔膜材料")


def _owner_adds_image(client, cast, listing, run_on_commit, caption="新样机照片"):
    client.force_login(cast.researcher)
    with run_on_commit(execute=True):
        response = client.post(
            reverse("achievements:attachment_add", args=[listing.pk]),
            {
                "file": upload("新照片.png", png_bytes()),
                "kind": "image",
                "visibility": "public",
                "caption": caption,
            },
            **HTMX,
        )
    client.logout()
    assert response.status_code == 200
    return AchievementAttachment.objects.get(achievement=listing, caption=caption), response.content.decode()


def _detail(client, listing):
    return client.get(reverse("achievements:detail", args=[listing.pk])).content.decode()


def test_image_added_after_publication_is_hidden_from_the_public_until_approved(
    client, api, as_user, cast, listing, run_on_commit
):
    image, block = _owner_adds_image(client, cast, listing, run_on_commit)

    assert image.review_status == FileReview.PENDING
    assert "待审核" in block and "须经审核员审核通过后才向公众展示" in block
    # The public: not on the page, not in the list's card, not by its address, not in the API.
    assert "新样机照片" not in _detail(client, listing)
    file_url = reverse("achievements:attachment", args=[listing.pk, image.pk])
    assert client.get(file_url).status_code == 404
    assert (
        client.get(reverse("achievements:attachment_thumbnail", args=[listing.pk, image.pk])).status_code
        == 404
    )
    assert f"/files/{image.pk}/thumbnail/" not in client.get(reverse("achievements:list")).content.decode()
    files_api = reverse("api:achievement-files", args=[listing.pk])
    assert api.get(files_api).json() == []
    assert as_user(cast.buyer).get(files_api).json() == []
    client.force_login(cast.buyer)
    assert client.get(file_url).status_code == 404
    # The owner and the reviewers see it, marked as awaiting review.
    client.force_login(cast.researcher)
    assert "新样机照片" in _detail(client, listing) and "待审核" in _detail(client, listing)
    mine = as_user(cast.researcher).get(files_api).json()
    assert [(f["caption"], f["review_status"]) for f in mine] == [("新样机照片", "pending")]
    client.force_login(cast.reviewer)
    assert client.get(file_url).status_code == 200


def test_reviewer_approves_in_the_console_and_the_public_sees_it(client, cast, listing, run_on_commit):
    image, _block = _owner_adds_image(client, cast, listing, run_on_commit)
    client.force_login(cast.reviewer)

    queue = client.get(reverse("achievements_console:queue")).content.decode()
    assert "待审核文件" in queue and reverse("achievements_console:files") in queue
    page = client.get(reverse("achievements_console:files")).content.decode()
    assert "新照片.png" in page and listing.title in page
    done = client.post(
        reverse("achievements_console:file_review", args=[image.pk]), {"decision": "approve"}, follow=True
    )

    assert "已通过：新照片.png" in done.content.decode()
    image.refresh_from_db()
    assert image.review_status == FileReview.APPROVED
    entry = AuditEntry.objects.get(action="achievements.achievementattachment.approved")
    assert (entry.actor, entry.from_state, entry.to_state) == (cast.reviewer, "pending", "approved")
    client.logout()
    assert "新样机照片" in _detail(client, listing)
    assert client.get(reverse("achievements:attachment", args=[listing.pk, image.pk])).status_code == 200


def test_reviewer_rejects_with_a_reason_and_the_owner_is_told(client, cast, listing, run_on_commit):
    image, _block = _owner_adds_image(client, cast, listing, run_on_commit)
    client.force_login(cast.reviewer)
    url = reverse("achievements_console:file_review", args=[image.pk])

    empty = client.post(url, {"decision": "reject", "reason": " "}, follow=True)
    assert "请向发布单位说明驳回理由。" in empty.content.decode()
    image.refresh_from_db()
    assert image.review_status == FileReview.PENDING

    client.post(url, {"decision": "reject", "reason": "照片含有第三方商标，请更换"})

    image.refresh_from_db()
    assert (image.review_status, image.review_reason) == (FileReview.REJECTED, "照片含有第三方商标，请更换")
    note = Notification.objects.get(recipient=cast.researcher, kind="listing_file_rejected")
    assert "新照片.png" in note.title and note.body == "照片含有第三方商标，请更换"
    assert AuditEntry.objects.filter(
        action="achievements.achievementattachment.rejected", message="照片含有第三方商标，请更换"
    ).exists()
    client.logout()
    assert "新样机照片" not in _detail(client, listing)
    client.force_login(cast.researcher)
    edit = client.get(reverse("achievements:edit", args=[listing.pk])).content.decode()
    assert "未通过" in edit and "照片含有第三方商标，请更换" in edit


def test_only_reviewers_decide(client, cast, listing, run_on_commit):
    image, _block = _owner_adds_image(client, cast, listing, run_on_commit)
    client.force_login(cast.researcher)

    response = client.post(
        reverse("achievements_console:file_review", args=[image.pk]), {"decision": "approve"}
    )

    assert response.status_code == 403
    image.refresh_from_db()
    assert image.review_status == FileReview.PENDING


def test_files_added_while_a_draft_ride_with_the_listings_review(client, cast, run_on_commit, media_root):
    draft = make_achievement(cast, published=False, title="固态电解质界面修饰方法")
    with run_on_commit(execute=True):
        image = add_listing_file(FILES, draft, cast.researcher, caption="草稿时的照片", reviewed=False)
    video = add_video(FILES, draft, actor=cast.researcher, url="https://v.qq.com/x/page/a.html", title="演示")

    assert (image.review_status, video.review_status) == (FileReview.APPROVED, FileReview.APPROVED)
    services.submit_achievement(draft, actor=cast.researcher)
    services.approve_achievement(draft, actor=cast.reviewer)
    page = _detail(client, draft)
    assert "草稿时的照片" in page and "演示" in page
    assert not AchievementAttachment.objects.filter(review_status=FileReview.PENDING).exists()


def test_api_review_and_changes_after_approval(api, as_user, cast, listing, run_on_commit):
    with run_on_commit(execute=True):
        image = add_listing_file(FILES, listing, cast.researcher, caption="接口照片", reviewed=False)
    approve = reverse("api:achievement-file-approve", args=[listing.pk, image.pk])
    reject = reverse("api:achievement-file-reject", args=[listing.pk, image.pk])
    files_api = reverse("api:achievement-files", args=[listing.pk])

    assert as_user(cast.researcher).post(approve).status_code == 403
    no_reason = as_user(cast.reviewer).post(reject, {}, format="json")
    assert no_reason.status_code == 400
    ok = as_user(cast.reviewer).post(approve)
    assert ok.status_code == 200 and ok.json()["review_status"] == "approved"
    assert [f["caption"] for f in api.get(files_api).json()] == ["接口照片"]
    again = as_user(cast.reviewer).post(approve)
    assert again.status_code == 400

    # A new caption on a published listing is text the public reads: back to review.
    owner = as_user(cast.researcher)
    changed = owner.patch(
        reverse("api:achievement-file", args=[listing.pk, image.pk]), {"caption": "新的说明"}, format="json"
    )
    assert changed.status_code == 200
    image.refresh_from_db()
    assert image.review_status == FileReview.PENDING
    assert api.get(files_api).json() == []
    assert AuditEntry.objects.filter(action="achievements.achievementattachment.sent_to_review").exists()
    rejected = as_user(cast.reviewer).post(reject, {"reason": "说明与图片不符"}, format="json")
    assert rejected.status_code == 200
    assert (rejected.json()["review_status"], rejected.json()["review_reason"]) == (
        "rejected",
        "说明与图片不符",
    )


def test_video_link_added_after_publication_waits_for_review(client, api, as_user, cast, listing):
    video = add_video(
        FILES, listing, actor=cast.researcher, url="https://v.qq.com/x/page/b.html", title="新视频"
    )
    videos_api = reverse("api:achievement-videos", args=[listing.pk])

    assert video.review_status == FileReview.PENDING
    assert api.get(videos_api).json() == [] and "新视频" not in _detail(client, listing)
    assert [v["review_status"] for v in as_user(cast.researcher).get(videos_api).json()] == ["pending"]
    client.force_login(cast.reviewer)
    assert "新视频" in client.get(reverse("achievements_console:files")).content.decode()
    client.post(reverse("achievements_console:video_review", args=[video.pk]), {"decision": "approve"})
    assert AchievementVideo.objects.get(pk=video.pk).review_status == FileReview.APPROVED
    assert [v["title"] for v in api.get(videos_api).json()] == ["新视频"]


def test_file_review_queue_query_count_is_pinned(client, cast, listing, run_on_commit, pinned_queries):
    with run_on_commit(execute=True):
        for n in range(3):
            add_listing_file(FILES, listing, cast.researcher, caption=f"照片{n}", reviewed=False)
    for n in range(2):
        add_video(
            FILES, listing, actor=cast.researcher, url=f"https://v.qq.com/x/page/{n}.html", title=f"视频{n}"
        )
    client.force_login(cast.reviewer)

    with pinned_queries("file_review_queue"):
        page = client.get(reverse("achievements_console:files"))

    assert (
        page.status_code == 200
        and page.content.decode().count('class="button" type="submit" name="decision"') == 5
    )
