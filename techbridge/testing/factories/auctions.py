"""Auctions (拍卖): sessions, lots and registrations straight in the database, plus ``paid``
and ``bid`` that go through the services as a bidder would.

``make_session`` and ``make_lot`` give the usual shape: a published session run by the platform that
started an hour ago, and a listed English-auction lot of 示范大学 open for another hour.
"""

from __future__ import annotations

import itertools
import typing
from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from techbridge.auctions.choices import LotFormat, LotStatus, SaleKind, SessionStatus
from techbridge.auctions.models import AuctionSession, Lot, Registration

from .accounts import UserFactory
from .achievements import AchievementFactory


class AuctionSessionFactory(factory.django.DjangoModelFactory):
    """A published session that started an hour ago, no deposit."""

    class Meta:
        model = AuctionSession

    title = factory.Sequence(lambda n: f"2026年高校专利拍卖专场{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    status = SessionStatus.PUBLISHED


class LotFactory(factory.django.DjangoModelFactory):
    """A listed English-auction lot (screening skipped) of a published achievement, open from half an
    hour ago for another hour: starting price 100,000, increment 1,000, five-minute soft close. The
    seller is the achievement's owner."""

    class Meta:
        model = Lot

    session = factory.SubFactory(AuctionSessionFactory)
    achievement = factory.SubFactory(AchievementFactory, published=True)
    seller = factory.LazyAttribute(lambda lot: lot.achievement.owner if lot.achievement else None)
    title = "锂电池隔膜专利转让"
    sale_kind = SaleKind.ASSIGNMENT
    format = LotFormat.ENGLISH
    starting_price = Decimal("100000")
    increment = Decimal("1000")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    scheduled_end_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    ends_at = factory.SelfAttribute("scheduled_end_at")
    status = LotStatus.LISTED
    soft_close_minutes = 5
    extension_minutes = 5
    extension_cap_minutes = 30


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A bidder's registration with the next paddle number (no deposit asked or paid)."""

    class Meta:
        model = Registration

    session = factory.SubFactory(AuctionSessionFactory)
    user = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("user.organization")
    number = factory.Sequence(lambda n: n + 1)


def make_session(cast: Any, *, deposit: str = "5000", **extra: Any) -> AuctionSession:
    """A published session organised by the platform's operator, asking a deposit of ``deposit``."""
    return typing.cast(
        AuctionSession,
        AuctionSessionFactory(
            organizer=cast.platform, created_by=cast.operator, deposit_amount=Decimal(deposit), **extra
        ),
    )


def make_lot(cast: Any, session: AuctionSession, **extra: Any) -> Lot:
    """A listed lot in ``session`` of a published achievement of 示范大学 (unless ``achievement`` or
    ``package`` is given; a package lot is sold by the platform); ``ends_at`` moves both ends."""
    if "achievement" not in extra and "package" not in extra:
        extra["achievement__owner"] = cast.university
        extra["achievement__created_by"] = cast.researcher
    elif "package" in extra and "achievement" not in extra:
        extra.update(achievement=None, seller=extra.get("seller", cast.platform))
    if "ends_at" in extra:
        extra.setdefault("scheduled_end_at", extra["ends_at"])
    return typing.cast(Lot, LotFactory(session=session, **extra))


def paid(user: Any, session: AuctionSession, cast: Any) -> Registration:
    """Register ``user`` in ``session`` through the services; the operator confirms the deposit when
    the session asks one."""
    from techbridge.auctions import services

    reg = services.register_bidder(actor=user, session=session)
    if reg.deposit_status == "required":
        services.confirm_deposit(actor=cast.operator, registration=reg, reference="BANK-1")
        reg.refresh_from_db()
    return reg


_nonces = itertools.count(1)


def bid(user: Any, lot: Lot, amount: Any, nonce: str | None = None) -> Any:
    """Place a bid through the services (a fresh nonce unless given); returns the ``BidResult``."""
    from techbridge.auctions import services

    return services.place_bid(
        actor=user, lot_id=lot.pk, amount=amount, nonce=nonce or f"test-nonce-{next(_nonces):06d}"
    )


STATEMENT_HEADERS = ("交易日期", "流水号", "对方户名", "对方账号", "收入金额", "支出金额", "摘要", "附言")


def statement_rows(lines: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows of a bank statement export: a title line, the header, one row per line, a 合计 row.

    Each line: ``serial``, ``amount`` (income; negative for money out), ``remark`` (附言), optional
    ``date`` (2026-12-01), ``payer`` and ``account``.
    """
    rows: list[list[Any]] = [
        ["中国示例银行 账户交易明细", "", "", "", "", "", "", ""],
        list(STATEMENT_HEADERS),
    ]
    for line in lines:
        raw = str(line["amount"])
        amount = Decimal(raw) if raw.lstrip("-").replace(".", "").isdigit() else None  # else written as is
        rows.append(
            [
                line.get("date", "2026-12-01"),
                line["serial"],
                line.get("payer", "南京某某科技有限公司"),
                line.get("account", "3201 0000 1111 2222"),
                raw if amount is None else f"{amount:,.2f}" if amount > 0 else "",
                f"{-amount:,.2f}" if amount is not None and amount < 0 else "",
                line.get("summary", "网银转账"),
                line.get("remark", ""),
            ]
        )
    rows.append(["合计", "", "", "", "", "", "", ""])
    return rows


def statement_csv(lines: list[dict[str, Any]], encoding: str = "utf-8-sig") -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(statement_rows(lines))
    return buffer.getvalue().encode(encoding)


def statement_xlsx(lines: list[dict[str, Any]]) -> bytes:
    from techbridge.lib.xlsx import Sheet, workbook_bytes

    rows = statement_rows(lines)
    return workbook_bytes([Sheet("明细", rows[1], rows[2:])])
