"""A transaction certificate verified in a real Chromium, in Chinese: the certificate is issued by the
announcements services (a notice opened, its period over, the sweep ends it and typesets the PDF); a
visitor enters its code on /certificates/verify/ and sees it confirmed with the sealed fields and the
PDF's SHA-256; a forged code and a one-character change are refused with the Chinese messages."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from techbridge.announcements import rules, services
from techbridge.announcements.choices import Origin
from techbridge.announcements.models import Certificate
from techbridge.core.tasks import wait_for_embedded_tasks
from techbridge.core.tests.test_pages_speak_chinese import leaks, visible_text
from techbridge.portal.tests.test_crawl_speaks_chinese import english_runs

pytestmark = pytest.mark.browser

SUBJECT = "一种固态锂电池电解质膜制备方法专利权转让"
GENUINE = "验证通过：该鉴证书由本平台出具，真实有效。"
FORGED = "本平台未出具过该验证码对应的鉴证书，该证书可能系伪造。"
ALTERED = "验证码校验位不符：可能抄录有误或已被篡改，这不是有效的鉴证书。"


def _issued_certificate(cast) -> Certificate:
    concluded = timezone.now() - dt.timedelta(days=30)
    ann = services.open_announcement(
        origin=Origin.AUCTION,
        origin_ref="lot:browser-certificate",
        subject=SUBJECT,
        seller=cast.university,
        buyer=cast.enterprise,
        price=Decimal("1280000.00"),
        deal_mode="assignment",
        concluded_at=concluded,
    )
    assert services.end_due_announcements() == {"ended": 1, "waiting": 0}
    wait_for_embedded_tasks()
    cert = Certificate.objects.get(announcement=ann)
    assert len(cert.sha256) == 64  # the PDF was typeset and its hash kept
    return cert


def test_a_visitor_verifies_a_real_certificate_and_is_warned_of_forged_codes(live_browser, cast):
    cert = _issued_certificate(cast)
    page = live_browser.page
    problems: dict[str, list[str]] = {}

    def scan() -> None:
        page.wait_for_load_state("domcontentloaded")
        html = page.content()
        found = leaks(html) + english_runs(visible_text(html))
        if found:
            problems[page.url] = sorted(set(found))

    # The real code, typed as printed (groups, lower case): confirmed with the sealed fields and hash.
    live_browser.goto("/certificates/verify/")
    scan()
    page.fill("input[name=code]", cert.grouped_code.lower())
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url("**/certificates/verify/*/")
    scan()
    verdict = page.get_by_test_id("verdict")
    verdict.get_by_text(GENUINE).wait_for()
    text = verdict.inner_text()
    for sealed in (
        cert.number,
        cert.grouped_code,
        SUBJECT,
        "示范大学",
        "示范企业有限公司",
        "1,280,000.00",
        f"{timezone.localtime(cert.concluded_at):%Y-%m-%d}",
        f"{timezone.localtime(cert.issued_at):%Y-%m-%d}",
    ):
        assert sealed in text, sealed
    assert page.get_by_test_id("sha256").inner_text() == cert.sha256
    # The platform's copy of the PDF has exactly the hash the page shows.
    href = page.get_by_role("link", name="下载平台存档副本").get_attribute("href")
    pdf = page.request.get(live_browser.url(href))
    assert pdf.ok and hashlib.sha256(pdf.body()).hexdigest() == cert.sha256

    # A forged code: well-formed, its check character right, but never issued.
    forged = rules.new_code()
    assert not Certificate.objects.filter(code=forged).exists()
    live_browser.goto("/certificates/verify/")
    page.fill("input[name=code]", rules.grouped(forged))
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url("**/certificates/verify/*/")
    scan()
    assert page.get_by_test_id("refusal").inner_text() == FORGED
    assert GENUINE not in page.content() and SUBJECT not in page.content()

    # The real code with one character changed: the check character catches it.
    i = 7
    other = rules.ALPHABET[(rules.ALPHABET.index(cert.code[i]) + 1) % len(rules.ALPHABET)]
    changed = cert.code[:i] + other + cert.code[i + 1 :]
    live_browser.goto("/certificates/verify/")
    page.fill("input[name=code]", changed)
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url("**/certificates/verify/*/")
    scan()
    assert page.get_by_test_id("refusal").inner_text() == ALTERED
    assert GENUINE not in page.content() and SUBJECT not in page.content()
    assert problems == {}
