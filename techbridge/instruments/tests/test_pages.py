"""The portal and console pages: what each shows, forms that refuse bad input, and the exact number of
queries of every list page (pinned in query_counts.json)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.instruments.models import Booking, Instrument, ServiceOrder, Voucher
from techbridge.instruments.services import booking as booking_services
from techbridge.instruments.services import platforms as platform_services
from techbridge.instruments.services import usage as usage_services
from techbridge.testing.factories.instruments import approved_voucher, future_slot, make_offer, make_programme

from .conftest import make_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def market(cast, platform):
    """Three instruments, bookings of each by the buyer (one completed with a voucher), an order."""
    programme = make_programme(created_by=cast.operator)
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    instruments = [make_instrument(cast, name=f"仪器{n}") for n in range(3)]
    bookings = []
    for n, instrument in enumerate(instruments):
        start, end = future_slot(days=3 + n)
        b = booking_services.request_booking(
            actor=cast.buyer,
            instrument=instrument,
            starts_at=start,
            ends_at=end,
            purpose="检测",
            voucher=voucher,
        )
        bookings.append(b)
    booking_services.approve_booking(bookings[0], actor=cast.researcher)
    usage_services.record_usage(bookings[0], actor=cast.researcher, hours="1", now=bookings[0].ends_at)
    for n in range(3):
        offer = make_offer(platform, title=f"服务{n}")
        platform_services.request_service(actor=cast.buyer, offer=offer, need="检测")
    return {"instruments": instruments, "bookings": bookings, "voucher": voucher, "programme": programme}


def test_catalogue_list_query_count(client, market, pinned_queries):
    with pinned_queries("catalogue"):
        response = client.get(reverse("instruments:list"))
    assert response.status_code == 200
    assert [r["object"].name for r in response.context["rows"]][:3] == ["仪器0", "仪器1", "仪器2"]
    assert "示范大学" in response.content.decode()


def test_catalogue_filters_and_a_bad_filter(client, cast, market):
    make_instrument(cast, name="中试线", kind="pilot_line", category="process", publicly_funded=False)
    response = client.get(reverse("instruments:list"), {"kind": "pilot_line"})
    assert [r["object"].name for r in response.context["rows"]] == ["中试线"]
    response = client.get(reverse("instruments:list"), {"funded": "no"})
    assert [r["object"].name for r in response.context["rows"]] == ["中试线"]
    assert client.get(reverse("instruments:list"), {"category": "nonsense"}).status_code == 400
    response = client.get(reverse("instruments:list"), {"kind": "pilot_line"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()  # htmx gets the results alone


def test_retired_instruments_are_hidden_from_everyone_but_their_staff(client, cast, instrument):
    Instrument.objects.filter(pk=instrument.pk).update(status="retired")
    assert client.get(reverse("instruments:detail", args=[instrument.pk])).status_code == 404
    client.force_login(cast.researcher)
    assert client.get(reverse("instruments:detail", args=[instrument.pk])).status_code == 200


def test_the_detail_page_shows_fees_calendar_and_owner_tools(client, cast, market):
    instrument = market["instruments"][0]
    response = client.get(reverse("instruments:detail", args=[instrument.pk]))
    html = response.content.decode()
    assert "400.00" in html and 'data-testid="calendar"' in html and "Schedule maintenance" not in html
    client.force_login(cast.researcher)
    html = client.get(reverse("instruments:detail", args=[instrument.pk])).content.decode()
    assert "Schedule maintenance" in html and "Requests awaiting approval" in html


def test_the_calendar_shows_taken_units_without_saying_whose_to_others(client, cast, market):
    booking = market["bookings"][1]
    week = booking.starts_at.date().isoformat()
    url = reverse("instruments:calendar", args=[booking.instrument_id])
    client.force_login(cast.broker)
    html = client.get(url, {"week": week}).content.decode()
    assert "Booked" in html and "示范企业有限公司" not in html
    client.force_login(cast.researcher)
    html = client.get(url, {"week": week}, HTTP_HX_REQUEST="true").content.decode()
    assert "示范企业有限公司" in html and "<html" not in html


def test_booking_through_the_form(client, cast, instrument):
    client.force_login(cast.buyer)
    start, end = future_slot(days=5)
    url = reverse("instruments:book", args=[instrument.pk])
    form = client.get(url, {"start": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")})
    assert form.context["form"].initial["ends_at"] == timezone.localtime(end)
    bad = client.post(
        url,
        {
            "starts_at": "2020-01-01T09:00",
            "ends_at": "2020-01-01T10:00",
            "purpose": "x",
            "mode": "operated",
            "sample_count": 0,
        },
    )
    assert bad.status_code == 400 and "passed" in bad.content.decode()
    fmt = "%Y-%m-%dT%H:%M"
    ok = client.post(
        url,
        {
            "starts_at": timezone.localtime(start).strftime(fmt),
            "ends_at": timezone.localtime(end).strftime(fmt),
            "purpose": "测试导热系数",
            "mode": "operated",
            "sample_count": 2,
        },
    )
    booking = Booking.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("instruments:booking", args=[booking.pk])


def test_bookings_pages_query_counts(client, cast, market, pinned_queries):
    client.force_login(cast.buyer)
    with pinned_queries("mine"):
        mine = client.get(reverse("instruments:bookings"))
    assert len(mine.context["page"].object_list) == 3
    client.force_login(cast.researcher)
    with pinned_queries("incoming"):
        incoming = client.get(reverse("instruments:bookings"), {"tab": "incoming"})
    assert len(incoming.context["page"].object_list) == 3
    client.force_login(cast.univ_admin)
    with pinned_queries("orders"):
        orders = client.get(reverse("instruments:bookings"), {"tab": "orders"})
    assert len(orders.context["page"].object_list) == 3


def test_the_owner_approves_and_records_usage_from_the_booking_page(client, cast, market):
    booking = market["bookings"][1]
    client.force_login(cast.researcher)
    response = client.post(reverse("instruments:booking_action", args=[booking.pk, "approve"]))
    assert response.status_code == 302 and Booking.objects.get(pk=booking.pk).status == "approved"
    too_early = client.post(
        reverse("instruments:booking_action", args=[booking.pk, "record"]), {"hours": "1"}, follow=True
    )
    assert "not started" in too_early.content.decode()


def test_the_statement_page_and_the_providers_claim(client, cast, market):
    invoice = market["bookings"][0].invoice
    client.force_login(cast.buyer)
    html = client.get(reverse("instruments:invoice", args=[invoice.pk])).content.decode()
    assert invoice.number in html and "200.00" in html  # half of 400 paid by the voucher
    client.force_login(cast.researcher)
    client.post(reverse("instruments:invoice_claim", args=[invoice.pk]))
    assert invoice.redemption.__class__.objects.get(pk=invoice.redemption.pk).status == "claimed"


def test_utilisation_page_query_count_and_figures(client, cast, market, pinned_queries):
    usage_services.record_internal_use(
        market["instruments"][1],
        actor=cast.researcher,
        started_at=timezone.now() - dt.timedelta(hours=4),
        hours="3",
    )
    client.force_login(cast.researcher)
    with pinned_queries("owner"):
        response = client.get(reverse("instruments:utilisation"))
    assert response.status_code == 200
    assert response.context["totals"]["internal"] == 3.0
    assert len(response.context["table"]) == 3
    assert "chart.umd.min.js" in response.content.decode()


def test_voucher_pages(client, cast, market, pinned_queries):
    with pinned_queries("portal"):
        response = client.get(reverse("instruments:vouchers"))
    assert "科技创新券" in response.content.decode()
    client.force_login(cast.buyer)
    other = make_programme(name="第二批创新券", created_by=cast.operator)
    url = reverse("instruments:voucher_apply", args=[other.pk])
    bad = client.post(url, {"requested_amount": "900000", "purpose": "检测"})
    assert bad.status_code == 400 and "at most" in bad.content.decode()
    ok = client.post(url, {"requested_amount": "20000", "purpose": "委托检测新材料"})
    voucher = Voucher.objects.get(programme=other)
    assert ok.status_code == 302 and voucher.status == "applied"


def test_platform_pages_query_counts(client, cast, market, platform, pinned_queries):
    with pinned_queries("list"):
        response = client.get(reverse("instruments:platforms"))
    assert "南京新材料公共技术服务平台" in response.content.decode()
    html = client.get(reverse("instruments:platform", args=[platform.pk])).content.decode()
    assert "服务0" in html and "Request this service" in html


def test_an_order_page_walks_the_flow(client, cast, offer):
    client.force_login(cast.buyer)
    response = client.post(reverse("instruments:offer_request", args=[offer.pk]), {"need": "检测导热系数"})
    order = ServiceOrder.objects.get()
    assert response.status_code == 302
    client.force_login(cast.univ_admin)
    client.post(
        reverse("instruments:order_action", args=[order.pk, "quote"]), {"amount": "1500", "days": "7"}
    )
    assert ServiceOrder.objects.get(pk=order.pk).quote_amount == Decimal("1500.00")
    client.force_login(cast.buyer)
    client.post(reverse("instruments:order_action", args=[order.pk, "order"]), {"voucher": ""})
    assert ServiceOrder.objects.get(pk=order.pk).status == "ordered"


def test_console_pages_query_counts(client, cast, market, pinned_queries):
    client.force_login(cast.reviewer)
    with pinned_queries("vouchers"):
        response = client.get(reverse("instruments_console:vouchers"), {"tab": "approved"})
    assert (
        market["voucher"].number in response.content.decode()
        or "示范企业有限公司" in response.content.decode()
    )
    with pinned_queries("claims"):
        client.get(reverse("instruments_console:claims"), {"tab": "redeemed"})
    with pinned_queries("platforms"):
        response = client.get(reverse("instruments_console:platforms"))
    assert response.context["operating"] == 1
    with pinned_queries("utilisation"):
        response = client.get(reverse("instruments_console:utilisation"))
    assert response.status_code == 200 and response.context["flagged_count"] == 3


def test_the_console_decides_a_voucher(client, cast, market):
    other = make_programme(name="第二批创新券", created_by=cast.operator)
    voucher = Voucher.objects.create(
        programme=other,
        enterprise=cast.enterprise,
        applied_by=cast.buyer,
        purpose="检测",
        requested_amount=5000,
    )
    client.force_login(cast.reviewer)
    client.post(
        reverse("instruments_console:voucher_decide", args=[voucher.pk, "approve"]), {"quota": "4000"}
    )
    voucher.refresh_from_db()
    assert voucher.status == "approved" and voucher.quota == Decimal("4000.00")


def test_the_mine_page_loads_upcoming_bookings_and_approvals_apart(client, cast, market):
    client.force_login(cast.buyer)
    page = client.get(reverse("portal:mine")).content.decode()
    assert f'hx-get="{reverse("instruments:mine")}"' in page and "仪器1" not in page
    assert "仪器1" in client.get(reverse("instruments:mine")).content.decode()
    client.force_login(cast.researcher)
    assert "booking request" in client.get(reverse("instruments:mine")).content.decode()
    client.force_login(cast.outsider)
    assert client.get(reverse("instruments:mine")).content == b""


def test_console_home_shows_the_platform_count_and_queues(client, cast, market):
    client.force_login(cast.operator)
    html = client.get(reverse("console:home")).content.decode()
    assert (
        'data-figure="instruments.platforms"' in html and 'data-figure="instruments.vouchers_applied"' in html
    )
    # The platform count is a console figure; the governance dashboards show it to the public.
    assert 'data-figure="instruments.platforms"' not in client.get(reverse("portal:home")).content.decode()
