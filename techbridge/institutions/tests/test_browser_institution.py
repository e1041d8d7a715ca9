"""The institution path in a real Chromium: the service organisation applies, a reviewer lists it, it
appears in the directory, its broker is invited into a negotiation that ends in a registered contract,
the client declares the contract performed and rates the service, an operator computes the quarter,
and the institution reads its score with every input."""

from __future__ import annotations

import pytest
from django.utils import timezone

from techbridge.contracts import services as contracts
from techbridge.deals import services as deals
from techbridge.deals.models import Room
from techbridge.institutions.models import Institution, Rating
from techbridge.taxonomy.models import DealMode, IndustryField
from techbridge.testing.factories import AchievementFactory, publish

pytestmark = pytest.mark.browser

OFFER = {"deal_mode": "assignment", "price": "800000", "payment_terms": "lump_sum", "exclusivity": ""}


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_apply_review_directory_broker_rate_and_score(live_browser, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = live_browser.page
    page.on("dialog", lambda dialog: dialog.accept())

    # The service organisation applies.
    _as(live_browser, cast.broker)
    live_browser.goto("/institutions/mine/")
    page.click("[data-testid=apply]")
    page.wait_for_url("**/institutions/mine/profile/")
    form = page.locator("[data-testid=profile-form]")
    form.locator("textarea[name=summary]").fill(
        "面向新能源汽车产业的技术转移服务机构，提供技术经纪与知识产权运营。"
    )
    form.locator("input[name=services][value=transfer]").check()
    form.locator("input[name=services][value=ip]").check()
    form.locator("input[name=industry_fields][value=nev]").check()
    form.locator("input[name=staff_count]").fill("15")
    form.locator("input[name=contact_name]").fill("赵经理")
    form.locator("input[name=contact_phone]").fill("025-83790000")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/institutions/mine/")
    page.click("[data-testid=submit-application]")
    page.wait_for_load_state("domcontentloaded")
    inst = Institution.objects.get(organization=cast.service)
    assert inst.status == "submitted"

    # A reviewer lists it; it appears in the public directory.
    _as(live_browser, cast.reviewer)
    live_browser.goto(f"/console/institutions/{inst.pk}/")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("domcontentloaded")
    page.context.clear_cookies()
    live_browser.goto("/institutions/?service=ip")
    assert cast.service.name in page.locator("#results").inner_text()

    # The enterprise invites the institution's broker into a negotiation on the university's achievement.
    achievement = AchievementFactory(
        owner=cast.university, created_by=cast.researcher, title="高安全锂电池隔膜制备技术"
    )
    achievement.fields.set(IndustryField.objects.filter(code="nev"))
    achievement.deal_modes.set(DealMode.objects.filter(code="assignment"))
    publish(achievement)
    room = deals.open_room(actor=cast.buyer, achievement=achievement)
    _as(live_browser, cast.buyer)
    live_browser.goto(f"/deals/{room.pk}/")
    page.fill("input[name=broker]", f"#{cast.broker.pk}")  # the searchable picker takes #id
    page.click("form[action$='/invite/'] button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert room.broker_invitations.filter(broker=cast.broker).exists()

    # They agree; both sign; the registry registers (the deals browser test walks these pages).
    offer = deals.make_offer(Room.objects.get(pk=room.pk), actor=cast.buyer, data=OFFER)
    deals.accept_offer(offer, actor=cast.researcher)
    contract = offer.contract
    contracts.sign_contract(contract, actor=cast.researcher)
    contracts.sign_contract(contract, actor=cast.buyer)
    contracts.submit_for_registration(contract, actor=cast.researcher)
    contracts.register_contract(contract, actor=cast.reviewer)

    # The client declares the contract performed and rates the institution's service.
    live_browser.goto(f"/contracts/{contract.pk}/")
    page.click("[data-testid=mark-performed]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-testid=performed-notice]").count() == 1
    rate = page.locator("[data-testid=rate-form]")
    rate.locator("input[name=score][value='5']").check()
    rate.locator("textarea[name=comment]").fill("响应及时，专业")
    rate.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert Rating.objects.get(institution=inst).score == 5

    # An operator computes the quarter.
    _as(live_browser, cast.operator)
    live_browser.goto("/console/institutions/scores/")
    today = timezone.localdate()
    form = page.locator("[data-testid=compute-form]")
    form.locator("input[name=year]").fill(str(today.year))
    form.locator("input[name=quarter]").fill(str((today.month - 1) // 3 + 1))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert cast.service.name in page.locator("[data-testid=scores-table]").inner_text()

    # The institution reads its score with every input: the brokered room, the registered amount, the rating.
    _as(live_browser, cast.broker)
    live_browser.goto(f"/institutions/{inst.pk}/")
    assert page.locator("[data-testid=record-rooms]").inner_text() == "1"
    page.click("[data-testid=score-link]")
    page.wait_for_load_state("domcontentloaded")
    performance = page.locator("[data-testid=inputs-performance]").inner_text()
    assert "800000.00" in performance.replace(",", "")
    credit = page.locator("[data-testid=inputs-credit]").inner_text()
    assert "5.00" in credit
    assert page.locator("[data-testid=score-total]").inner_text().strip()
