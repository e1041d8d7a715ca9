"""The API covers the whole path: list an instrument, book, approve, record usage, statement, voucher,
platform orders; every list endpoint pins its query count; bad input gets a JSON message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from techbridge.instruments.models import Instrument, Invoice, ServiceOrder
from techbridge.testing.factories.instruments import approved_voucher, future_slot, make_offer

from .conftest import make_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_owner_lists_an_instrument_with_its_fee_schedule(api_client, cast):
    client = as_user(api_client, cast.researcher)
    body = {
        "name": "X射线光电子能谱仪",
        "model_number": "ESCALAB 250Xi",
        "category": "analysis",
        "industry_fields": ["materials"],
        "purchase_value": "4500000",
        "publicly_funded": True,
        "description": "表面元素组成与化学态分析。",
        "rates": [
            {"audience": "external", "unit": "hour", "price": "600"},
            {"audience": "internal", "unit": "hour", "price": "300"},
        ],
    }
    response = client.post("/api/v1/instruments/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (
        data["owner"]["name"] == "示范大学" and data["industry_fields"] == ["materials"] and data["is_large"]
    )
    assert {r["unit"] for r in data["rates"]} == {"hour"}
    bad = client.post(
        "/api/v1/instruments/", {**body, "slot_minutes": 45, "status": "retired"}, format="json"
    )
    assert bad.status_code == 400 and "status" in bad.json()["errors"] and "message" in bad.json()
    patch = client.patch(f"/api/v1/instruments/{data['id']}/", {"horizon_days": 30}, format="json")
    assert patch.status_code == 200 and patch.json()["horizon_days"] == 30
    assert api_client.get("/api/v1/instruments/abc/").status_code == 404


def test_the_booking_path_through_the_api(api_client, cast, instrument, programme, run_on_commit):
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    start, end = future_slot()
    client = as_user(api_client, cast.buyer)
    body = {
        "instrument": instrument.pk,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "purpose": "测试导热系数",
        "voucher": voucher.pk,
    }
    created = client.post("/api/v1/instruments/bookings/", body, format="json")
    assert created.status_code == 201, created.json()
    booking_id = created.json()["id"]
    again = client.post("/api/v1/instruments/bookings/", body, format="json")
    assert again.status_code == 400 and "already booked" in again.json()["message"]
    calendar = client.get(
        f"/api/v1/instruments/{instrument.pk}/calendar/", {"week": start.date().isoformat()}
    )
    states = {c["state"] for day in calendar.json()["days"] for c in day["cells"]}
    assert "mine" in states
    owner = as_user(api_client, cast.researcher)
    assert owner.post(f"/api/v1/instruments/bookings/{booking_id}/approve/").json()["status"] == "approved"
    early = owner.post(f"/api/v1/instruments/bookings/{booking_id}/usage/", {"hours": "1"}, format="json")
    assert early.status_code == 400
    from techbridge.instruments.models import Booking
    from techbridge.instruments.services import usage

    with run_on_commit(execute=True):
        usage.record_usage(Booking.objects.get(pk=booking_id), actor=cast.researcher, hours="1", now=end)
    client = as_user(api_client, cast.buyer)
    booking = client.get(f"/api/v1/instruments/bookings/{booking_id}/").json()
    assert booking["status"] == "completed" and booking["invoice"]
    statement = client.get(f"/api/v1/instruments/statements/{booking['invoice']}/").json()
    assert Decimal(statement["amount"]) == Decimal("400") and Decimal(statement["voucher_amount"]) == Decimal(
        "200"
    )
    pdf = client.get(f"/api/v1/instruments/statements/{booking['invoice']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    redemption = client.get("/api/v1/instruments/voucher-redemptions/").json()["results"][0]
    owner = as_user(api_client, cast.univ_admin)
    assert (
        owner.post(f"/api/v1/instruments/voucher-redemptions/{redemption['id']}/claim/").json()["status"]
        == "claimed"
    )
    staff = as_user(api_client, cast.operator)
    settled = staff.post(
        f"/api/v1/instruments/voucher-redemptions/{redemption['id']}/settle/",
        {"reference": "付款 001"},
        format="json",
    )
    assert settled.json()["status"] == "settled"


def test_vouchers_through_the_api(api_client, cast, programme):
    client = as_user(api_client, cast.buyer)
    applied = client.post(
        "/api/v1/instruments/vouchers/",
        {"programme": programme.pk, "requested_amount": "20000", "purpose": "委托检测"},
        format="json",
    )
    assert applied.status_code == 201
    refused = as_user(api_client, cast.researcher).post(
        "/api/v1/instruments/vouchers/",
        {"programme": programme.pk, "requested_amount": "20000", "purpose": "委托检测"},
        format="json",
    )
    assert refused.status_code == 403
    staff = as_user(api_client, cast.reviewer)
    approved = staff.post(
        f"/api/v1/instruments/vouchers/{applied.json()['id']}/approve/", {"quota": "15000"}, format="json"
    )
    assert approved.json()["status"] == "approved" and Decimal(approved.json()["balance"]) == Decimal("15000")


def test_a_pilot_order_through_the_api(api_client, cast, platform):
    line = make_instrument(cast, kind="pilot_line", slot_minutes=1440, open_days="1234567", access="operated")
    line.platform = platform
    line.save(update_fields=["platform"])
    offer = make_offer(platform, kind="pilot", title="中试放大", resource=line)
    buyer = as_user(api_client, cast.buyer)
    order = buyer.post(
        "/api/v1/instruments/orders/", {"offer": offer.pk, "need": "中试放大验证"}, format="json"
    ).json()
    start, _ = future_slot(days=5, hour=0)
    host = as_user(api_client, cast.univ_admin)
    quoted = host.post(
        f"/api/v1/instruments/orders/{order['id']}/quote/",
        {
            "amount": "60000",
            "days": 20,
            "slot_start": start.isoformat(),
            "slot_end": (start + timezone.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert quoted.status_code == 200, quoted.json()
    buyer = as_user(api_client, cast.buyer)
    assert buyer.post(f"/api/v1/instruments/orders/{order['id']}/order/").json()["booking"]
    assert ServiceOrder.objects.get(pk=order["id"]).booking.status == "approved"


def test_query_parameters_are_checked(api_client, cast, instrument):
    assert api_client.get("/api/v1/instruments/", {"category": "nope"}).status_code == 400
    assert api_client.get("/api/v1/instruments/", {"serach": "x"}).status_code == 400
    assert api_client.get("/api/v1/instruments/", {"funded": "maybe"}).status_code == 400
    assert api_client.get("/api/v1/instruments/", {"funded": "true"}).json()["count"] == 1


@pytest.fixture
def listed(cast, platform, programme):
    instruments = [make_instrument(cast, name=f"仪器{n}") for n in range(3)]
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    from techbridge.instruments.services import booking, platforms, usage

    for n, instrument in enumerate(instruments):
        start, end = future_slot(days=3 + n)
        b = booking.request_booking(
            actor=cast.buyer,
            instrument=instrument,
            starts_at=start,
            ends_at=end,
            purpose="检测",
            voucher=voucher,
        )
        booking.approve_booking(b, actor=cast.researcher)
        usage.record_usage(b, actor=cast.researcher, hours="1", now=end)
        platforms.request_service(actor=cast.buyer, offer=make_offer(platform, title=f"服务{n}"), need="检测")
    return instruments


@pytest.mark.parametrize(
    ("name", "url", "who", "count"),
    [
        ("instruments", "/api/v1/instruments/", None, 3),
        ("bookings", "/api/v1/instruments/bookings/", "buyer", 3),
        ("statements", "/api/v1/instruments/statements/", "buyer", 3),
        ("programmes", "/api/v1/instruments/voucher-programmes/", None, 1),
        ("vouchers", "/api/v1/instruments/vouchers/", "buyer", 1),
        ("redemptions", "/api/v1/instruments/voucher-redemptions/", "univ_admin", 3),
        ("platforms", "/api/v1/instruments/platforms/", None, 1),
        ("offers", "/api/v1/instruments/offers/", None, 3),
        ("orders", "/api/v1/instruments/orders/", "buyer", 3),
        ("utilisation", "/api/v1/instruments/utilisation/", "researcher", 3),
    ],
)
def test_list_endpoint_query_count(api_client, cast, listed, pinned_queries, name, url, who, count):
    if who:
        api_client.force_authenticate(getattr(cast, who))
    with pinned_queries(name):
        response = api_client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["count"] if "count" in data else len(data["results"])) == count


def test_statements_are_frozen_in_the_api(api_client, cast, listed):
    invoice = Invoice.objects.first()
    api_client.force_authenticate(cast.buyer)
    assert (
        api_client.patch(
            f"/api/v1/instruments/statements/{invoice.pk}/", {"amount": "1"}, format="json"
        ).status_code
        == 405
    )
    assert Instrument.objects.count() == 3
