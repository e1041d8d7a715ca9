"""Usage in machine hours, fees from the schedule, monthly figures, fee statements (PDF once) and the
innovation voucher paying its share."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techbridge.instruments.models import (
    Booking,
    Invoice,
    UsageMonth,
    UsageRecord,
    Voucher,
    VoucherRedemption,
)
from techbridge.instruments.services import booking as booking_services
from techbridge.instruments.services import usage as services
from techbridge.lib.pdf import pdf_fonts, pdf_text
from techbridge.testing.factories.instruments import approved_voucher, future_slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def approved(cast, instrument, *, hours: int = 2, user=None, voucher=None, run_on_commit=None) -> Booking:
    start, end = future_slot(hour=9, minutes=60 * hours)
    booking = booking_services.request_booking(
        actor=user or cast.buyer,
        instrument=instrument,
        starts_at=start,
        ends_at=end,
        purpose="导热系数测试",
        sample_count=3,
        voucher=voucher,
    )
    booking_services.approve_booking(booking, actor=cast.researcher)
    return booking


def test_entered_hours_are_charged_at_the_external_rate_and_a_statement_is_issued(
    cast, instrument, run_on_commit
):
    booking = approved(cast, instrument)
    with run_on_commit(execute=True):
        usage = services.record_usage(
            booking, actor=cast.researcher, hours="1.5", samples=3, now=booking.ends_at
        )
    assert usage.status == "recorded" and usage.hours == Decimal("1.50") and usage.fee == Decimal("600.00")
    booking.refresh_from_db()
    assert booking.status == "completed"
    invoice = Invoice.objects.get(booking=booking)
    assert (
        invoice.amount == Decimal("600.00")
        and invoice.voucher_amount == 0
        and invoice.payable == Decimal("600.00")
    )
    assert (
        invoice.number.startswith("JS")
        and invoice.provider == cast.university
        and invoice.payer == cast.enterprise
    )
    assert invoice.pdf and len(invoice.pdf_sha256) == 64
    text = pdf_text(invoice.pdf.read())
    assert invoice.number in text and "600.00" in text and "示范企业有限公司" in text
    assert any("CJK" in name for name in pdf_fonts(invoice.pdf.open("rb").read()))


def test_more_hours_than_booked_cannot_be_entered(cast, instrument):
    booking = approved(cast, instrument, hours=1)
    with pytest.raises(ValidationError, match="booked"):
        services.record_usage(booking, actor=cast.researcher, hours="1.5", now=booking.ends_at)
    with pytest.raises(ValidationError, match="not started"):
        services.record_usage(booking, actor=cast.researcher, hours="1")
    with pytest.raises(ValidationError):
        services.record_usage(booking, actor=cast.researcher, hours="-1", now=booking.ends_at)


def test_the_clock_measures_the_hours(cast, instrument):
    booking = approved(cast, instrument)
    usage = services.start_usage(booking, actor=cast.researcher, now=booking.starts_at)
    assert usage.status == "running" and Booking.objects.get(pk=booking.pk).status == "in_use"
    services.stop_usage(
        usage, actor=cast.researcher, samples=2, now=booking.starts_at + dt.timedelta(minutes=95)
    )
    usage.refresh_from_db()
    assert usage.hours == Decimal("1.58") and usage.method == "timer" and usage.fee == Decimal("632.00")
    assert Booking.objects.get(pk=booking.pk).status == "completed"


def test_internal_use_is_charged_internal_rates_and_walk_ins_count_without_statements(cast, instrument):
    booking = approved(cast, instrument, user=cast.univ_admin)
    services.record_usage(booking, actor=cast.researcher, hours="2", now=booking.ends_at)
    assert Invoice.objects.get(booking=booking).amount == Decimal("400.00")
    walk_in = services.record_internal_use(
        instrument, actor=cast.researcher, started_at=booking.starts_at - dt.timedelta(days=7), hours="3"
    )
    assert walk_in.audience == "internal" and walk_in.fee == Decimal("600.00")
    assert Invoice.objects.count() == 1


def test_monthly_figures_follow_the_records_and_can_be_rebuilt(cast, instrument):
    first = approved(cast, instrument, hours=2)
    services.record_usage(first, actor=cast.researcher, hours="2", now=first.ends_at)
    walk_in = services.record_internal_use(
        instrument, actor=cast.researcher, started_at=timezone.now() - dt.timedelta(hours=3), hours="1"
    )
    month = services.month_of(first.starts_at)
    external = UsageMonth.objects.get(instrument=instrument, month=month, audience="external")
    assert external.hours == Decimal("2.00") and external.fee == Decimal("800.00") and external.records == 1
    internal = UsageMonth.objects.get(
        instrument=instrument, month=services.month_of(walk_in.started_at), audience="internal"
    )
    assert internal.hours == Decimal("1.00") and internal.fee == Decimal("200.00")
    before = sorted(UsageMonth.objects.values_list("month", "audience", "hours", "fee", "records"))
    UsageMonth.objects.all().delete()
    assert services.rebuild_months() == 2
    assert sorted(UsageMonth.objects.values_list("month", "audience", "hours", "fee", "records")) == before
    UsageMonth.objects.filter(audience="external").update(hours=Decimal("99"))
    out = io.StringIO()
    call_command("rebuild_usage_months", "--instrument", str(instrument.pk), stdout=out)
    assert out.getvalue().strip() == "2 monthly rows written"
    assert sorted(UsageMonth.objects.values_list("month", "audience", "hours", "fee", "records")) == before


def test_a_voucher_pays_its_share_and_the_statement_shows_it(cast, instrument, programme, run_on_commit):
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer, quota="10000")
    booking = approved(cast, instrument, voucher=voucher)
    with run_on_commit(execute=True):
        services.record_usage(booking, actor=cast.researcher, hours="2", samples=3, now=booking.ends_at)
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.amount == Decimal("800.00") and invoice.voucher_amount == Decimal("400.00")
    assert invoice.payable == Decimal("400.00")
    voucher.refresh_from_db()
    assert voucher.spent == Decimal("400.00") and voucher.balance == Decimal("9600.00")
    redemption = VoucherRedemption.objects.get(invoice=invoice)
    assert redemption.amount == Decimal("400.00") and redemption.provider == cast.university
    assert invoice.snapshot["voucher"]["number"] == voucher.number
    assert "400.00" in pdf_text(invoice.pdf.read())


def test_a_voucher_pays_at_most_its_balance(cast, instrument, programme):
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer, quota="150")
    booking = approved(cast, instrument, voucher=voucher)
    services.record_usage(booking, actor=cast.researcher, hours="2", now=booking.ends_at)
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.voucher_amount == Decimal("150.00") and invoice.payable == Decimal("650.00")
    assert Voucher.objects.get(pk=voucher.pk).balance == 0


def test_an_expired_voucher_pays_nothing_and_the_statement_says_why(cast, instrument, programme):
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    booking = approved(cast, instrument, voucher=voucher)
    Voucher.objects.filter(pk=voucher.pk).update(status="expired")
    services.record_usage(booking, actor=cast.researcher, hours="1", now=booking.ends_at)
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.voucher_amount == 0 and "paid nothing" in invoice.snapshot["voucher_note"]


def test_vouchers_are_for_outside_services_and_for_their_holder(cast, instrument, programme):
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    start, end = future_slot()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        booking_services.request_booking(
            actor=cast.broker,
            instrument=instrument,
            starts_at=start,
            ends_at=end,
            purpose="x",
            voucher=voucher,
        )
    booking = approved(cast, instrument)
    booking_services.attach_voucher(booking, actor=cast.buyer, voucher=voucher)
    assert Booking.objects.get(pk=booking.pk).voucher == voucher
    with pytest.raises(PermissionDenied):
        booking_services.attach_voucher(booking, actor=cast.researcher, voucher=None)


def test_a_statement_is_frozen_and_its_pdf_is_served_from_storage(cast, instrument, client, run_on_commit):
    booking = approved(cast, instrument)
    with run_on_commit(execute=True):
        services.record_usage(booking, actor=cast.researcher, hours="1", now=booking.ends_at)
    invoice = Invoice.objects.get(booking=booking)
    invoice.amount = Decimal("1")
    with pytest.raises(ValueError):
        invoice.save()
    from techbridge.instruments import documents

    def fail(*_a, **_k):
        raise AssertionError("the statement must not be rendered again")

    documents.render_invoice, original = fail, documents.render_invoice  # type: ignore[assignment]
    try:
        client.force_login(cast.buyer)
        response = client.get(reverse("instruments:invoice_pdf", args=[invoice.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        import hashlib

        assert hashlib.sha256(body).hexdigest() == invoice.pdf_sha256
        client.force_login(cast.stranger)
        assert client.get(reverse("instruments:invoice_pdf", args=[invoice.pk])).status_code == 404
    finally:
        documents.render_invoice = original  # type: ignore[assignment]


def test_no_fee_means_no_statement(cast):
    from .conftest import make_instrument

    free = make_instrument(cast)
    free.rates.all().delete()
    booking = approved(cast, free)
    services.record_usage(booking, actor=cast.researcher, hours="1", now=booking.ends_at)
    assert not Invoice.objects.exists()
    assert UsageRecord.objects.get(booking=booking).fee == 0
