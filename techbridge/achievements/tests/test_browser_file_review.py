"""In a real Chromium, in Chinese: the owner adds a picture to a published achievement, the public page does
not show it, a reviewer approves it in the review console, and the public page shows its thumbnail."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from techbridge.achievements.models import AchievementAttachment
from techbridge.core.listing_files import FileReview
from techbridge.core.tests.test_pages_speak_chinese import leaks, visible_text
from techbridge.portal.tests.test_crawl_speaks_chinese import english_runs
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.files import png_bytes

pytestmark = pytest.mark.browser

CAPTION = "中试线样机外观"


def _wait_for_thumbnail(image, seconds: float = 20) -> None:
    """The server's task thread makes the thumbnail just after the upload."""
    deadline = time.monotonic() + seconds
    while not image.thumbnail and time.monotonic() < deadline:
        time.sleep(0.2)
        image.refresh_from_db()
    assert image.thumbnail


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    if user is not None:
        live_browser.login(user)


def test_a_picture_added_after_publication_shows_once_a_reviewer_approves_it(live_browser, cast, media_root):
    achievement = make_achievement(cast, title="高强度锂电池隔膜材料")
    page = live_browser.page
    problems: dict[str, list[str]] = {}

    def scan() -> None:
        page.wait_for_load_state("domcontentloaded")
        html = page.content()
        # Video host names (v.qq.com) are addresses, not English words.
        found = [
            f for f in leaks(html) + english_runs(visible_text(html)) if f not in settings.LISTING_VIDEO_HOSTS
        ]
        if found:
            problems[page.url] = sorted(set(found))

    # The owner adds a public picture on the edit page: it is marked as awaiting review.
    _as(live_browser, cast.researcher)
    live_browser.goto(f"/achievements/{achievement.pk}/edit/")
    scan()
    upload = page.locator("#files form[enctype='multipart/form-data']")
    upload.locator("input[name=file]").set_input_files(
        files=[{"name": "样机.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    upload.locator("select[name=kind]").select_option("image")
    upload.locator("select[name=visibility]").select_option("public")
    upload.locator("input[name=caption]").fill(CAPTION)
    upload.get_by_role("button", name="上传").click()
    # the page answers the upload (the notice about review is on the page before it already)
    page.locator("#files").get_by_text("已添加文件 样机.png").wait_for()
    assert page.locator("#files").get_by_text("待审核", exact=True).count() == 1
    scan()
    image = AchievementAttachment.objects.get(achievement=achievement)
    assert image.review_status == FileReview.PENDING
    _wait_for_thumbnail(image)
    thumbnail = f"/achievements/{achievement.pk}/files/{image.pk}/thumbnail/"

    # The public page does not show it.
    _as(live_browser, None)
    live_browser.goto(f"/achievements/{achievement.pk}/")
    scan()
    assert CAPTION not in page.content()
    assert page.locator(f"img[src='{thumbnail}']").count() == 0

    # A reviewer finds it from the review queue and approves it.
    _as(live_browser, cast.reviewer)
    live_browser.goto("/console/achievements/")
    scan()
    page.get_by_role("link", name="待审核文件").click()
    page.wait_for_url("**/console/achievements/files/")
    scan()
    row = page.locator(f"#file-{image.pk}")
    assert "样机.png" in row.inner_text() and achievement.title in row.inner_text()
    row.get_by_role("button", name="通过").click()
    page.get_by_text("已通过：样机.png").wait_for()
    scan()
    assert "暂无待审核的文件" in page.content()

    # The public page shows its thumbnail now.
    _as(live_browser, None)
    live_browser.goto(f"/achievements/{achievement.pk}/")
    scan()
    picture = page.locator(f"img[src='{thumbnail}']")
    picture.wait_for()
    assert picture.get_attribute("alt") == CAPTION
    assert page.evaluate(
        "src => fetch(src).then(r => r.ok && r.headers.get('content-type') === 'image/webp')", thumbnail
    )
    assert problems == {}
