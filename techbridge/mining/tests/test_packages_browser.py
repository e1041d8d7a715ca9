"""In a real browser: a reviewer corrects a classification, edits and publishes a package; the
public then finds it on the portal and on its members' pages."""

from __future__ import annotations

import pytest

from techbridge.mining import classifiers, services
from techbridge.mining.models import ListingClassification
from techbridge.testing.factories import AchievementFactory, publish
from techbridge.testing.factories.mining import make_bundle


@pytest.mark.browser
def test_reviewer_corrects_classification_and_publishes_a_package(live_browser, cast, settings, tmp_path):
    settings.MINING_MODEL_DIR = str(tmp_path / "models")
    classifiers.forget_loaded()
    classifiers.save_bundle(make_bundle())
    members = []
    for i in range(3):
        a = AchievementFactory(owner=cast.university, title=f"锂电池隔膜成果{i}")
        publish(a)
        members.append(a)
    services.classify_listings("achievement", [a.pk for a in members])
    package = services.create_package(actor=cast.reviewer, title="锂电池草稿包", achievements=members[:2])
    page = live_browser.page

    live_browser.login(cast.reviewer)
    # Correct the discipline of the first achievement on its page.
    live_browser.goto(f"/achievements/{members[0].pk}/")
    page.click("#classification details summary")
    page.select_option("#fix-discipline", "环境科学与工程")
    page.click("form:has(#fix-discipline) button[type=submit]")
    page.wait_for_url(f"**/achievements/{members[0].pk}/")
    assert "环境科学与工程" in page.inner_text("#classification")
    row = ListingClassification.objects.get(object_id=members[0].pk, target="discipline")
    assert row.corrected_label == "环境科学与工程"

    # Edit the package: rename, add the third member, publish.
    live_browser.goto(f"/console/mining/packages/{package.pk}/")
    page.fill("#id_title", "锂电池隔膜成果包")
    page.click("form:has(#id_title) button[type=submit]")
    page.fill("#id_add", str(members[2].pk))
    page.click("form:has(#id_add) button[type=submit]")
    page.click("button[value=publish]")
    page.wait_for_selector("text=锂电池隔膜成果2")

    # The public sees it, on a phone-sized screen.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    live_browser.goto("/mining/packages/")
    page.click("text=锂电池隔膜成果包")
    assert page.locator(".package-member").count() == 3
    live_browser.goto(f"/achievements/{members[2].pk}/")
    assert "锂电池隔膜成果包" in page.inner_text("#classification")
    classifiers.forget_loaded()
