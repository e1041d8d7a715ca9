"""The door on a phone (390×844, touch): staff type a ticket code, or scan its QR code with the camera
(the browser's BarcodeDetector); each guest's result appears without a page load; a second scan is
reported as a duplicate, another event's ticket as wrong. The guest's ticket page shows the QR code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from techbridge.events import services, tickets
from techbridge.events.models import Registration
from techbridge.testing.factories.events import EventFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Chromium on a Linux desktop has no BarcodeDetector and no camera: stand in for both, the way a phone
# that has them behaves (a camera stream, and a detector that reads the ticket held up to it once).
FAKE_CAMERA = """
window.__scan = null;
window.BarcodeDetector = class {
  constructor(opts) { this.formats = (opts || {}).formats; }
  async detect() {
    const v = window.__scan; window.__scan = null;
    return v ? [{ rawValue: v, format: "qr_code" }] : [];
  }
};
navigator.mediaDevices.getUserMedia = async () => {
  const c = document.createElement("canvas"); c.width = 64; c.height = 64;
  c.getContext("2d").fillRect(0, 0, 64, 64);
  return c.captureStream(5);
};
"""


@pytest.fixture
def browser_context_options() -> dict:
    """A phone: 390×844, touch, high-density screen, Chinese locale."""
    return {
        "locale": "zh-CN",
        "viewport": PHONE,
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture
def phone(live_browser):
    return live_browser


def test_door_check_in_on_a_phone(phone, cast):
    now = timezone.now()
    event = EventFactory(
        title="技术交易洽谈会",
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        registration_closes_at=now + dt.timedelta(hours=1),
    )
    buyer = services.register(event, actor=cast.buyer)
    broker = services.register(event, actor=cast.broker)
    elsewhere = services.register(EventFactory(title="另一场培训"), actor=cast.stranger)
    page = phone.page

    # The guest's ticket on the phone: a QR code and the code under it.
    phone.login(cast.buyer)
    phone.goto(f"/events/tickets/{buyer.code}/")
    assert page.locator(".ticket-qr svg").is_visible()
    assert page.locator(".ticket-code").inner_text() == buyer.display_code

    # Staff at the door.
    page.context.clear_cookies()
    page.add_init_script(FAKE_CAMERA)
    phone.login(cast.operator)
    phone.goto(f"/console/events/{event.pk}/door/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))

    # Typed code (lower case, with the dashes printed on the ticket).
    page.fill("#id_code", buyer.display_code.lower())
    page.click("#door-form button[type=submit]")
    page.locator('[data-outcome="checked_in"]').wait_for()
    assert "张采购" in page.locator(".door-result").inner_text()
    assert page.locator("#door-count").get_attribute("data-checked-in") == "1"
    assert page.locator("#door-count").get_attribute("data-confirmed") == "2"
    assert page.input_value("#id_code") == ""

    # Scanned with the camera: the broker's ticket, then the buyer's again, then another event's.
    page.click("#scan-start")
    page.locator("#scan-video").wait_for(state="visible")
    page.evaluate("(v) => { window.__scan = v; }", tickets.payload(broker.code))
    page.locator('[data-outcome="checked_in"]', has_text="赵经理").wait_for()
    page.evaluate("(v) => { window.__scan = v; }", tickets.payload(buyer.code))
    page.locator('[data-outcome="duplicate"]').wait_for()
    page.evaluate("(v) => { window.__scan = v; }", tickets.payload(elsewhere.code))
    page.locator('[data-outcome="wrong_event"]', has_text="另一场培训").wait_for()
    page.fill("#id_code", "ZZZZ-ZZZZ-ZZZZ")
    page.press("#id_code", "Enter")
    page.locator('[data-outcome="unknown"]').wait_for()

    assert loads == []  # every result came in without a page load
    assert Registration.objects.filter(event=event, checked_in_at__isnull=False).count() == 2
