"""The whole path of issue 22's "Done when", in a real Chromium and in Chinese, as the roles involved.

An enterprise describes its need on the match page and opens the matched achievement; a negotiation room
under NDA leads to an accepted offer and a draft contract; the parties rewrite clauses in place (an edit
after one side signed voids that signature and says so) and both sign with their password; the
university applies for registration, a registry officer registers it, and the public statistics count
it. Two bidders then bid on a live lot in two browser contexts. Every page the browser renders on the
way (and every htmx swap) is scanned for raw codes and English words with the crawl's scanner.
"""

from __future__ import annotations

import pytest

from techbridge.contracts.models import Contract, Signature
from techbridge.core.tests.test_pages_speak_chinese import leaks, visible_text
from techbridge.portal.tests.test_crawl_speaks_chinese import english_runs
from techbridge.testing.browser import two_bidders_bid_live
from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.auctions import make_lot, make_session, paid

pytestmark = pytest.mark.browser

TITLE = "高安全锂电池隔膜制备技术"
NEED = "我们生产动力电池，现有隔膜高温下收缩，希望找到耐高温的锂电池隔膜制备技术。"
ACCEPTANCE = "甲方收到全部技术资料后二十日内，按附件测试方案对隔膜样品的闭孔温度和穿刺强度进行验收。"


class Scanner:
    """Scans each rendered page for raw codes and English (``leaks`` + ``english_runs`` of the crawl)."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: dict[str, list[str]] = {}
        self.pages = 0

    def __call__(self, page=None) -> None:
        page = page or self.page
        page.wait_for_load_state("domcontentloaded")
        html = page.content()
        found = leaks(html) + english_runs(visible_text(html))
        self.pages += 1
        if found:
            self.problems[page.url] = sorted(set(found))


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    if user is not None:
        live_browser.login(user)


def _sign(page, scan) -> None:
    """On the contract page: open the signing page, confirm, enter the password again, sign."""
    page.click("[data-testid=sign]")
    page.wait_for_url("**/sign/")
    scan()
    page.check("input[name=confirm]")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=confirm-sign]")
    page.wait_for_url("**/contracts/*/")
    scan()


def test_from_a_match_to_the_statistics_and_a_live_auction_in_chinese(live_browser, _chromium, cast):
    make_achievement(cast, title=TITLE)
    page = live_browser.page
    scan = Scanner(page)

    # The enterprise describes its need and opens the matched achievement.
    _as(live_browser, cast.buyer)
    live_browser.goto("/match/")
    scan()
    page.fill("textarea[name=q]", NEED)
    page.locator("main form button[type=submit]").first.click()
    result = page.locator("#match-results article.match", has_text=TITLE).first
    result.wait_for()
    scan()
    result.locator("h3 a").click()
    page.wait_for_url("**/achievements/*/")
    scan()

    # A negotiation room: NDA, an offer.
    page.click("[data-testid=open-room]")
    page.wait_for_url("**/deals/*/")
    room_url = page.url
    page.click("[data-testid=accept-nda]")
    page.wait_for_load_state("domcontentloaded")
    page.locator("[data-testid=offer-form] select[name=deal_mode]").select_option("assignment")
    page.fill("[data-testid=offer-form] input[name=price]", "880000")
    page.locator("[data-testid=offer-form] select[name=payment_terms]").select_option("lump_sum")
    page.locator("[data-testid=offer-form] button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    scan()

    # The university accepts: a draft contract with its type's clauses.
    _as(live_browser, cast.researcher)
    page.goto(room_url)
    page.click("[data-testid=accept-nda]")
    page.wait_for_load_state("domcontentloaded")
    scan()
    page.click("[data-testid=accept-offer]")
    page.wait_for_url("**/contracts/*/")
    contract_url = page.url
    scan()
    assert page.locator("[data-testid=clauses] section.clause").count() >= 10
    assert "捌拾捌万元整" in page.locator("[data-testid=clause-price]").inner_text()

    # The university rewrites the acceptance clause in place (htmx, no page load) and signs.
    loads: list[str] = []

    def loaded(_page) -> None:
        loads.append(page.url)

    page.on("load", loaded)
    page.click("[data-testid=edit-clause-acceptance]")
    page.locator("[data-testid=clause-acceptance] textarea[name=text]").fill(ACCEPTANCE)
    page.click("[data-testid=clause-acceptance] [data-testid=save-clause]")
    page.locator("[data-testid=clause-acceptance] [data-testid=clause-saved]").wait_for()
    assert loads == []
    assert (
        ACCEPTANCE in page.locator("[data-testid=clause-acceptance] [data-testid=clause-text]").inner_text()
    )
    scan()
    page.remove_listener("load", loaded)
    _sign(page, scan)
    assert "·" in page.locator("[data-testid=seller-signature]").inner_text()

    # The enterprise chooses a court instead of arbitration: the university's signature is void, and
    # the page says so.
    _as(live_browser, cast.buyer)
    page.goto(contract_url)
    scan()
    page.click("[data-testid=edit-clause-disputes]")
    form = page.locator("[data-testid=clause-disputes] [data-testid=clause-form]")
    form.locator("select[name=dispute_method]").select_option("court")
    form.locator("input[name=dispute_venue]").fill("南京市玄武区人民法院")
    form.locator("[data-testid=save-clause]").click()
    voided = page.locator("[data-testid=clause-disputes] [data-testid=signatures-voided]")
    voided.wait_for()
    assert "原有签署已作废" in voided.inner_text()
    assert "南京市玄武区人民法院" in page.locator("[data-testid=clause-disputes]").inner_text()
    scan()
    page.goto(contract_url)
    _sign(page, scan)

    _as(live_browser, cast.researcher)
    page.goto(contract_url)
    scan()
    _sign(page, scan)
    contract = Contract.objects.get()
    assert contract.status == "signed"
    assert set(Signature.objects.values_list("method", flat=True)) == {"password"}
    page.click("[data-testid=submit-registration]")
    page.wait_for_load_state("domcontentloaded")
    scan()

    # The registry officer registers it in the console.
    _as(live_browser, cast.reviewer)
    live_browser.goto("/console/contracts/")
    scan()
    page.click(f"text={contract.title}")
    page.wait_for_load_state("domcontentloaded")
    scan()
    page.locator("[data-testid=register-form] button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    scan()
    contract.refresh_from_db()
    assert contract.status == "registered" and contract.registration_number

    # Anyone sees it counted in the public statistics.
    _as(live_browser, None)
    live_browser.goto("/contracts/statistics/")
    scan()
    assert page.locator("[data-testid=stat-count]").inner_text() == "1"

    # A live auction: two bidders in two browser contexts see each other's bids.
    session = make_session(cast)
    lot = make_lot(cast, session)
    paid(cast.buyer, session, cast)
    paid(cast.broker, session, cast)
    _as(live_browser, None)
    two_bidders_bid_live(live_browser, _chromium, lot, cast.buyer, cast.broker, on_page=scan)

    assert scan.pages >= 20
    assert scan.problems == {}
