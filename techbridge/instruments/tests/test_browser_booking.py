"""The booking path in a real Chromium: an enterprise finds an instrument by describing its testing need in
Chinese, books a slot paying part with an innovation voucher, the owner approves and records the hours,
the fee statement is issued as PDF with the voucher's share, and the owner sees the utilisation chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from techbridge.instruments.models import Booking, Invoice, Slot
from techbridge.lib.pdf import pdf_text
from techbridge.testing.factories.instruments import approved_voucher, future_slot, make_programme

from .conftest import make_instrument

pytestmark = pytest.mark.browser


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_find_book_approve_use_and_pay_with_a_voucher(live_browser, cast, settings, tmp_path, e5_model):
    settings.MEDIA_ROOT = tmp_path
    from techbridge.instruments import corpora
    from techbridge.matching import corpus

    corpus.forget(corpora.INSTRUMENTS)
    instrument = make_instrument(cast, name="激光导热仪", access="operated")
    make_instrument(
        cast,
        name="液相色谱质谱联用仪",
        category="analysis",
        description="药物及代谢产物的定性定量分析。",
        specs="",
    )
    voucher = approved_voucher(make_programme(created_by=cast.operator), cast.enterprise, cast.buyer)
    page = live_browser.page

    # The enterprise describes its need in plain Chinese and finds the instrument, with the reasons.
    _as(live_browser, cast.buyer)
    live_browser.goto("/instruments/")
    page.fill("input[name=q]", "我们想测一下新型陶瓷材料的导热性能")
    page.click("[data-testid=search]")
    first = page.locator("[data-testid=instrument-card]").first
    first.locator("text=激光导热仪").wait_for()
    assert "导热" in first.locator("[data-testid=match-why]").inner_text()
    first.locator("h3 a").click()
    page.wait_for_url(f"**/instruments/{instrument.pk}/")

    # It books a free unit, paying half with its innovation voucher.
    page.click("[data-testid=book]")
    start, end = future_slot(days=3)
    fmt = "%Y-%m-%dT%H:%M"
    form = page.locator("[data-testid=booking-form]")
    form.locator("input[name=starts_at]").fill(timezone.localtime(start).strftime(fmt))
    form.locator("input[name=ends_at]").fill(timezone.localtime(end).strftime(fmt))
    form.locator("textarea[name=purpose]").fill("测试氮化铝陶瓷基板的导热系数")
    form.locator("input[name=sample_count]").fill("2")
    form.locator("input[name=voucher]").fill(f"#{voucher.pk}")  # the searchable picker takes #id
    page.click("[data-testid=send-booking]")
    page.wait_for_url("**/instruments/bookings/*/")
    booking = Booking.objects.get()
    assert booking.status == "requested" and booking.voucher == voucher
    assert page.locator("[data-status=requested]").count() == 1

    # The owner's person in charge approves.
    _as(live_browser, cast.researcher)
    live_browser.goto(f"/instruments/bookings/{booking.pk}/")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("domcontentloaded")
    booking.refresh_from_db()
    assert booking.status == "approved"

    # The day comes (the booking is moved into the past), the operator records the hours used.
    shift = (booking.starts_at - (timezone.now() - dt.timedelta(days=1))).days + 1
    delta = dt.timedelta(days=shift)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - delta, ends_at=booking.ends_at - delta
    )
    for slot in Slot.objects.filter(booking=booking):
        Slot.objects.filter(pk=slot.pk).update(starts_at=slot.starts_at - delta)
    page.reload()
    form = page.locator("[data-testid=record-usage]")
    form.locator("input[name=hours]").fill("1")
    form.locator("button[type=submit]").click()
    page.locator("[data-testid=invoice]").wait_for()
    invoice = Invoice.objects.get()
    assert invoice.amount == 400 and invoice.voucher_amount == 200 and invoice.payable == 200

    # The enterprise opens its statement and downloads the PDF.
    _as(live_browser, cast.buyer)
    live_browser.goto(f"/instruments/statements/{invoice.pk}/")
    assert page.locator("[data-testid=voucher-amount]").inner_text().startswith("200.00")
    with page.expect_download() as download:
        page.click("[data-testid=invoice-pdf]")
    text = pdf_text(open(download.value.path(), "rb").read())
    assert invoice.number in text and "200.00" in text

    # The owner sees the month's hours on the utilisation chart.
    _as(live_browser, cast.univ_admin)
    live_browser.goto("/instruments/utilisation/")
    assert page.evaluate("typeof Chart") == "function"
    assert page.locator("#usage-chart").count() == 1
    assert page.locator("[data-figure=external]").inner_text() == "1.0"
    corpus.forget(corpora.INSTRUMENTS)
