"""Contested rows under real concurrency, on SQLite and on PostgreSQL: the same calendar unit booked from
several threads at once, one voucher paying several bills at once, quotas approved against one budget.

Each thread has its own database connection. On PostgreSQL the threads share the test database. The
SQLite test database is a shared-cache memory database, where a second writer fails at once ("table is
locked") instead of waiting; the test therefore copies it into a file database configured as the
platform runs SQLite (WAL, busy timeout, IMMEDIATE transactions) and points the threads at it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from techbridge.core.workflow import TransitionError
from techbridge.instruments.models import Booking, Invoice, Slot, Voucher, VoucherProgramme, VoucherRedemption
from techbridge.instruments.services import billing
from techbridge.instruments.services import booking as booking_services
from techbridge.instruments.services import usage as usage_services
from techbridge.instruments.services import vouchers as voucher_services
from techbridge.testing.cast import make_cast
from techbridge.testing.factories.instruments import approved_voucher, future_slot, make_programme

from .conftest import make_instrument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Concurrent:
    """Runs functions in threads with their own connections, on a database where writers wait."""

    def __init__(self, tmp_path: Any):
        self.tmp_path = tmp_path
        self._saved: str | None = None

    def start(self) -> None:
        """Call once the set-up data is committed (SQLite: it is copied into the file database)."""
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():  # type: ignore[attr-defined]
            return
        path = str(self.tmp_path / "concurrent.sqlite3")
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        settings_dict = connections.settings["default"]
        self._saved = settings_dict["NAME"]
        settings_dict["NAME"] = path

    def stop(self) -> None:
        if self._saved is not None:
            connections.settings["default"]["NAME"] = self._saved
            self._saved = None

    def run(self, funcs: list[Callable[[], Any]]) -> list[Any]:
        """Start every function at the same moment, each in its own thread; their results or exceptions."""
        barrier = threading.Barrier(len(funcs))
        results: list[Any] = [None] * len(funcs)

        def work(i: int, func: Callable[[], Any]) -> None:
            try:
                barrier.wait()
                results[i] = func()
            except BaseException as exc:  # the outcome under test
                results[i] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(i, f)) for i, f in enumerate(funcs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def read(self, func: Callable[[], Any]) -> Any:
        """``func`` run on the database the threads wrote to."""
        result = self.run([func])[0]
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture
def concurrent(tmp_path, settings, monkeypatch) -> Iterator[Concurrent]:
    settings.MEDIA_ROOT = tmp_path
    # Statements are rendered after the commit; rendering is not what these tests race.
    monkeypatch.setattr(billing, "enqueue", lambda *a, **k: None)
    c = Concurrent(tmp_path)
    yield c
    c.stop()


def test_the_same_unit_booked_from_six_threads_is_held_once(concurrent):
    cast = make_cast()
    instrument = make_instrument(cast)
    start, end = future_slot(hour=9, minutes=120)
    users = [cast.buyer, cast.broker, cast.univ_admin, cast.stranger, cast.buyer, cast.broker]
    # Every request holds the first unit (some the second as well).
    periods = [(start, end), (start, start + (end - start) / 2)] * 3
    concurrent.start()

    def booker(user: Any, period: tuple[Any, Any]) -> Callable[[], Any]:
        return lambda: (
            booking_services.request_booking(
                actor=user, instrument=instrument, starts_at=period[0], ends_at=period[1], purpose="并发预约"
            ).pk
        )

    results = concurrent.run([booker(u, p) for u, p in zip(users, periods, strict=True)])
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 5, results

    def state() -> tuple[int, int, int]:
        return (
            Booking.objects.count(),
            Slot.objects.count(),
            Slot.objects.values("starts_at").distinct().count(),
        )

    bookings, held, distinct = concurrent.read(state)
    assert bookings == 1  # the refused requests left nothing behind
    assert held == distinct <= 2


def test_the_database_itself_refuses_a_unit_held_twice(concurrent):
    cast = make_cast()
    instrument = make_instrument(cast)
    start, end = future_slot()
    booking = booking_services.request_booking(
        actor=cast.buyer, instrument=instrument, starts_at=start, ends_at=end, purpose="x"
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(instrument=instrument, starts_at=start, booking=booking)


def test_one_voucher_paying_four_bills_at_once_never_exceeds_its_quota(concurrent):
    cast = make_cast()
    programme = make_programme(created_by=cast.operator)
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer, quota="1000")
    bookings = []
    for hour in (9, 11, 13, 15):
        instrument = make_instrument(cast, name=f"液相色谱质谱联用仪{hour}")
        start, end = future_slot(hour=hour, minutes=120)
        b = booking_services.request_booking(
            actor=cast.buyer,
            instrument=instrument,
            starts_at=start,
            ends_at=end,
            purpose="检测",
            voucher=voucher,
        )
        booking_services.approve_booking(b, actor=cast.researcher)
        bookings.append(b)
    concurrent.start()

    # Each bill is 2 h × 400 = 800 yuan; the voucher pays half (400) while its 1,000 yuan last.
    results = concurrent.run(
        [
            (lambda b=b: usage_services.record_usage(b, actor=cast.researcher, hours="2", now=b.ends_at).pk)
            for b in bookings
        ]
    )
    assert all(isinstance(r, int) for r in results), results

    def state() -> dict[str, Any]:
        v = Voucher.objects.get(pk=voucher.pk)
        invoices = list(Invoice.objects.all())
        return {
            "spent": v.spent,
            "redeemed": sum((r.amount for r in VoucherRedemption.objects.filter(voucher=v)), Decimal("0")),
            "paid": sorted(i.voucher_amount for i in invoices),
            "consistent": all(i.payable == i.amount - i.voucher_amount for i in invoices),
            "invoices": len(invoices),
        }

    s = concurrent.read(state)
    assert s["invoices"] == 4 and s["consistent"]
    assert s["spent"] == Decimal("1000.00") == s["redeemed"]
    assert s["paid"] == [Decimal("0"), Decimal("200.00"), Decimal("400.00"), Decimal("400.00")]


def test_quotas_approved_at_once_stay_within_the_budget(concurrent):
    cast = make_cast()
    programme = make_programme(
        created_by=cast.operator, budget=Decimal("25000"), cap_per_enterprise=Decimal("10000")
    )
    from techbridge.organizations.choices import OrgKind, OrgStatus
    from techbridge.organizations.models import Organization

    vouchers = []
    for n in range(4):
        org = Organization.objects.create(
            name=f"并发企业{n}", kind=OrgKind.ENTERPRISE, district="jiangning", status=OrgStatus.APPROVED
        )
        vouchers.append(
            Voucher.objects.create(
                programme=programme,
                enterprise=org,
                applied_by=cast.buyer,
                purpose="检测",
                requested_amount=Decimal("10000"),
            )
        )
    concurrent.start()
    results = concurrent.run(
        [
            (lambda v=v: voucher_services.approve_voucher(v, actor=cast.reviewer, quota="10000").pk)
            for v in vouchers
        ]
    )
    approved = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationError | TransitionError)]
    assert len(approved) == 2 and len(refused) == 2, results

    def state() -> tuple[Decimal, int]:
        p = VoucherProgramme.objects.get(pk=programme.pk)
        return p.allocated, Voucher.objects.filter(status="approved").count()

    allocated, count = concurrent.read(state)
    assert allocated == Decimal("20000.00") and count == 2
