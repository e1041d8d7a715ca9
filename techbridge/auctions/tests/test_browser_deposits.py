"""Deposits reconciled from a bank statement in a real Chromium, in Chinese: an operator uploads the
receiving account's statement (.xlsx) with two lines that pay registrations by their payment
reference, one without a reference and one with a mistyped reference; previews it; imports it; sees
the two deposits paid and the two other lines waiting with their reasons; assigns the mistyped line to
its bidder by hand; that bidder sees the deposit confirmed on their registration page."""

from __future__ import annotations

import pytest

from techbridge.auctions import services
from techbridge.auctions.choices import DepositStatus, LineStatus, UnmatchedReason
from techbridge.auctions.models import BankStatement, StatementLine
from techbridge.auctions.references import CHECK_ALPHABET
from techbridge.core.tests.test_pages_speak_chinese import leaks, visible_text
from techbridge.portal.tests.test_crawl_speaks_chinese import english_runs
from techbridge.testing.factories.auctions import make_session, statement_xlsx

pytestmark = pytest.mark.browser

NO_REFERENCE = "附言中没有付款识别码"
MISTYPED = "付款识别码有误（校验位不符）"


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def _mistyped(code: str) -> str:
    """``code`` with its check character replaced (what a bidder's slip of the finger gives)."""
    other = CHECK_ALPHABET[(CHECK_ALPHABET.index(code[-1]) + 1) % len(CHECK_ALPHABET)]
    return code[:-1] + other


def test_an_operator_reconciles_a_statement_and_the_bidder_sees_the_deposit(live_browser, cast):
    session = make_session(cast, title="2026年新能源专利网上拍卖专场", deposit="5000")
    buyer, broker, researcher = (
        services.register_bidder(actor=user, session=session)
        for user in (cast.buyer, cast.broker, cast.researcher)
    )
    content = statement_xlsx(
        [
            {
                "serial": "B20261201001",
                "amount": "5000",
                "payer": "示范企业有限公司",
                "remark": f"竞买保证金 {buyer.payment_code}",
            },
            {
                # the bank folded the reference: no hyphens, lower case
                "serial": "B20261201002",
                "amount": "5000.00",
                "payer": "示范技术经纪有限公司",
                "remark": f"保证金{broker.payment_code.replace('-', '').lower()}",
            },
            {"serial": "B20261201003", "amount": "5000", "payer": "南京某某科技有限公司", "remark": "保证金"},
            {
                "serial": "B20261201004",
                "amount": "5000",
                "payer": "示范大学",
                "remark": f"拍卖保证金 {_mistyped(researcher.payment_code)}",
            },
        ]
    )
    page = live_browser.page
    problems: dict[str, list[str]] = {}

    def scan() -> None:
        page.wait_for_load_state("domcontentloaded")
        html = page.content()
        found = leaks(html) + english_runs(visible_text(html))
        if found:
            problems[page.url] = sorted(set(found))

    # The operator uploads the statement and previews what it would do: nothing is stored yet.
    _as(live_browser, cast.operator)
    live_browser.goto("/console/auctions/statements/")
    scan()
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "对账单-202612.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ],
    )
    page.get_by_role("button", name="检查并预览").click()
    page.wait_for_url("**/statements/preview/")
    scan()
    body = page.locator("main").inner_text()
    assert "共 4 笔流水：2 笔将确认保证金，2 笔待人工处理，0 笔此前已导入，将跳过。" in body
    rows = page.locator("tbody tr")
    assert rows.count() == 4
    assert "确认保证金" in rows.nth(0).inner_text() and buyer.label in rows.nth(0).inner_text()
    assert "确认保证金" in rows.nth(1).inner_text() and broker.label in rows.nth(1).inner_text()
    assert NO_REFERENCE in rows.nth(2).inner_text()
    assert MISTYPED in rows.nth(3).inner_text()
    assert not BankStatement.objects.exists() and not StatementLine.objects.exists()

    # The import confirms the two deposits and keeps the two other lines for the operator.
    page.get_by_role("button", name="导入并对账").click()
    page.wait_for_url("**/statements/*/")
    scan()
    page.get_by_text("对账单已导入：确认保证金 2 笔").wait_for()
    statement = BankStatement.objects.get()
    assert (statement.matched_count, statement.unmatched_count) == (2, 2)
    for reg in (buyer, broker):
        reg.refresh_from_db()
        assert reg.deposit_status == DepositStatus.PAID
    live_browser.goto(f"/console/auctions/sessions/{session.pk}/")
    scan()
    assert "保证金已缴 · B20261201001" in page.locator(f"#reg-{buyer.pk}").inner_text()
    assert "保证金已缴 · B20261201002" in page.locator(f"#reg-{broker.pk}").inner_text()
    assert "保证金已缴" not in page.locator(f"#reg-{researcher.pk}").inner_text()

    # The unmatched lines are listed with their reasons in Chinese.
    live_browser.goto("/console/auctions/statement-lines/")
    scan()
    no_ref = StatementLine.objects.get(serial="B20261201003")
    mistyped = StatementLine.objects.get(serial="B20261201004")
    assert (no_ref.reason, mistyped.reason) == (UnmatchedReason.NO_REFERENCE, UnmatchedReason.BAD_CHECK)
    assert NO_REFERENCE in page.locator(f"#line-{no_ref.pk}").inner_text()
    card = page.locator(f"#line-{mistyped.pk}")
    assert MISTYPED in card.inner_text() and _mistyped(researcher.payment_code) in card.inner_text()

    # The operator corrects the reference and assigns the mistyped line to its bidder.
    card.locator("input[name=reference]").fill(researcher.payment_code)
    card.get_by_role("button", name="认领").click()
    page.get_by_text("流水 B20261201004 已认领为").wait_for()
    scan()
    assert page.locator(f"#line-{mistyped.pk}").count() == 0
    assert page.locator(f"#line-{no_ref.pk}").count() == 1  # still waiting
    mistyped.refresh_from_db()
    assert (mistyped.status, mistyped.registration_id) == (LineStatus.ASSIGNED, researcher.pk)

    # The bidder sees the deposit confirmed on their registration page.
    _as(live_browser, cast.researcher)
    live_browser.goto(f"/auctions/registrations/{researcher.pk}/")
    scan()
    deposit = page.locator("#deposit").inner_text()
    assert "保证金已缴" in deposit and "您可以出价" in deposit
    assert "请勿向其转账" not in deposit  # the payment instructions are gone
    assert problems == {}
