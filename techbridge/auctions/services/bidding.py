"""Bids and proxy bids: each accepted atomically (a conditional UPDATE on the lot's version, then the
chained bid) or refused with a reason, changing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.prepared import PreparedRead

from .. import chain
from ..choices import BIDDABLE_DEPOSIT, BidKind, LotFormat, LotStatus, RegistrationStatus, SessionStatus
from ..models import Bid, BidAttempt, Lot, ProxyBid, Registration
from ..permissions import registration_refusal
from . import attempts
from .closing import _close
from .rules import (
    CONFLICT_RETRIES,
    BidRefused,
    BidResult,
    _Conflict,
    clean_nonce,
    dutch_price,
    extended_end,
    is_own_lot,
    minimum_bid,
    new_nonce,
    parse_amount,
    step_for,
)

# ---- bids -------------------------------------------------------------------------------------------


def _bidder(actor: Any, lot: Lot) -> Registration:
    """The actor's registration for the lot's session, or the reason they may not bid."""
    if not getattr(actor, "is_authenticated", False):
        raise BidRefused("not_registered", _("Sign in and register for this session to bid."))
    reg = Registration.objects.filter(session_id=lot.session_id, user=actor).first()
    if reg is None:
        raise BidRefused("not_registered", _("Register for this session before bidding."))
    if refused := registration_refusal(reg):
        raise BidRefused(*refused)
    if is_own_lot(lot, actor.organization_id):
        raise BidRefused("own_lot", _("You cannot bid on a lot sold by your own organisation."))
    return reg


def _check_open(lot: Lot, now: datetime) -> None:
    if lot.status != LotStatus.LISTED or lot.session.status != SessionStatus.PUBLISHED:
        raise BidRefused("closed", _("This lot is not open for bids."))
    if now < lot.starts_at:
        raise BidRefused("not_started", _("Bidding on this lot has not opened yet."))
    if now >= lot.ends_at:
        raise BidRefused("closed", _("Bidding on this lot has closed."))


def _record(
    lot: Lot,
    reg: Registration,
    amount: Decimal,
    kind: str,
    nonce: str,
    now: datetime,
    *,
    set_price: bool = True,
) -> Bid:
    """Claim the lot row with a conditional UPDATE on its version, then append the chained bid."""
    new_end = extended_end(lot, now) if lot.format == LotFormat.ENGLISH else lot.ends_at
    seq = lot.bid_count + 1
    bid = Bid(
        lot_id=lot.pk,
        registration=reg,
        seq=seq,
        amount=amount,
        kind=kind,
        nonce=nonce,
        created_at=now,
        ends_after=new_end,
        prev_hash=lot.head_hash,
        hash_algorithm=chain.ALGORITHM,
    )
    bid.hash = chain.hash_bid(bid)
    values: dict[str, Any] = {
        "bid_count": seq,
        "version": F("version") + 1,
        "head_hash": bid.hash,
        "ends_at": new_end,
        "updated_at": now,
    }
    guard = Q(pk=lot.pk, version=lot.version, status=LotStatus.LISTED, ends_at__gt=now)
    if set_price:
        values.update(current_price=amount, leader=reg)
        if lot.format == LotFormat.ENGLISH:
            guard &= Q(current_price__isnull=True) | Q(current_price__lt=amount)
    if new_end > lot.ends_at:
        values["extension_count"] = F("extension_count") + 1
    if Lot.objects.filter(guard).update(**values) != 1:
        raise _Conflict
    bid.save(force_insert=True)
    # the row now holds exactly this (the guard matched the version we read): no re-read
    lot.bid_count, lot.version, lot.head_hash = seq, lot.version + 1, bid.hash
    lot.ends_at, lot.updated_at = new_end, now
    if set_price:
        lot.current_price, lot.leader = amount, reg
    if "extension_count" in values:
        lot.extension_count += 1
    return bid


def _resolve_proxies(lot: Lot, now: datetime) -> None:
    """Let proxy bids answer until no hidden maximum can beat the current price.

    Each round is one accepted, chained bid at the lowest amount that settles who leads (eBay-style:
    the loser's maximum plus one increment, capped at the winner's maximum; a tie goes to the earlier
    leader).
    """
    for _round in range(10_000):
        nxt = minimum_bid(lot)
        active = ProxyBid.objects.filter(
            lot=lot,
            max_amount__gte=nxt,
            registration__status=RegistrationStatus.QUALIFIED,
            registration__deposit_status__in=BIDDABLE_DEPOSIT,
        ).select_related("registration")
        others = active.exclude(registration_id=lot.leader_id) if lot.leader_id else active
        challenger = others.order_by("-max_amount", "created_at", "id").first()
        if challenger is None:
            return
        defender = active.filter(registration_id=lot.leader_id).first() if lot.leader_id else None
        if defender is None:
            reg, amount = challenger.registration, nxt
        elif challenger.max_amount > defender.max_amount:
            need = defender.max_amount + step_for(lot, defender.max_amount)
            reg, amount = challenger.registration, min(challenger.max_amount, need)
        else:
            need = challenger.max_amount + step_for(lot, challenger.max_amount)
            reg, amount = defender.registration, min(defender.max_amount, need)
        _record(lot, reg, amount, BidKind.PROXY, f"proxy-{new_nonce()}", now)


def _with_retries(func: Any) -> Any:
    """Run ``func`` in its own transaction, again when the lot row moved underneath it."""
    for _attempt in range(CONFLICT_RETRIES):
        try:
            with transaction.atomic():
                return func()
        except (_Conflict, IntegrityError):
            continue
    raise BidRefused(
        "busy", _("Many bids arrived at once and yours lost the race. Check the new price and bid again.")
    )


#: Refusals not kept as attempts: the request named no lot, or its amount or nonce was malformed, or
#: its nonce already names another attempt (that one stays the nonce's outcome).
NOT_KEPT = frozenset({"malformed", "not_found", "nonce_reused"})

#: The lot's columns the bid rules read: one narrow query (``_snapshot``), no join but the session.
SNAPSHOT_FIELDS = (
    "id",
    "session_id",
    "status",
    "format",
    "seller_id",
    "package_id",
    "starting_price",
    "reserve_price",
    "increment",
    "increment_ladder",
    "dutch_decrement",
    "dutch_interval_seconds",
    "starts_at",
    "scheduled_end_at",
    "ends_at",
    "soft_close_minutes",
    "extension_minutes",
    "extension_cap_minutes",
    "current_price",
    "leader_id",
    "bid_count",
    "version",
)


def body_hash(lot_id: int, value: Decimal) -> str:
    """SM3 of the bid's canonical body: the same nonce must come back with the same body."""
    return chain.sm3_hex(f"bid|{lot_id}|{value}")


def _nonce_reused() -> BidRefused:
    return BidRefused(
        "nonce_reused",
        _("This bid key was already used for a different bid. Reload the page and bid again."),
    )


def _replay(kept: BidAttempt, value: Decimal, digest: str, lot: Lot) -> BidResult:
    """The original outcome of the attempt with this nonce, when the body is the same."""
    same = kept.body_hash == digest if kept.body_hash else kept.amount == value
    if not same:
        raise _nonce_reused()
    if kept.outcome == BidAttempt.Outcome.ACCEPTED:
        assert kept.bid is not None
        return BidResult(bid=kept.bid, lot=lot, replayed=True)
    raise BidRefused(kept.reason, kept.message, replayed=True)


@dataclass
class Snapshot:
    """What one read of the lot tells the bid rules: the lot (narrow), its session's status, the
    actor's registration and whether this nonce was already used."""

    lot: Lot
    session_status: str
    reg_id: int | None
    reg_status: str | None
    reg_deposit: str | None
    kept_id: int | None
    own_package: bool
    user_id: int = 0  # whose and which nonce's snapshot it is (a snapshot read ahead must match)
    key: str = ""


def _snapshot_query(lot_id: int, user_id: int, org_id: int, key: str) -> Any:
    from techbridge.achievements.models import Achievement

    regs = Registration.objects.filter(session_id=OuterRef("session_id"), user_id=user_id)
    return Lot.objects.filter(pk=lot_id).values(
        *SNAPSHOT_FIELDS,
        session_status=F("session__status"),
        reg_id=Subquery(regs.values("pk")[:1]),
        reg_status=Subquery(regs.values("status")[:1]),
        reg_deposit=Subquery(regs.values("deposit_status")[:1]),
        kept_id=Subquery(
            BidAttempt.objects.filter(lot_id=OuterRef("pk"), user_id=user_id, nonce=key).values("pk")[:1]
        ),
        own_package=Exists(Achievement.objects.filter(packages=OuterRef("package_id"), owner_id=org_id)),
    )[:1]


#: The snapshot compiled once per thread (``core.prepared``): a bid pays for executing it, not building it.
SNAPSHOT_READ = _SNAPSHOT = PreparedRead(
    _snapshot_query, lot_id=-7_300_001, user_id=-7_300_002, org_id=-7_300_003, key="~sentinel-nonce~"
)


def _snapshot(lot_id: int, actor: Any, key: str) -> Snapshot | None:
    row = _SNAPSHOT.one(lot_id=int(lot_id), user_id=actor.pk, org_id=actor.organization_id or 0, key=key)
    return None if row is None else snapshot_from_row(row, user_id=actor.pk, key=key)


def snapshot_from_row(row: dict[str, Any], *, user_id: int, key: str) -> Snapshot:
    """The snapshot in a row of ``SNAPSHOT_READ`` run for ``user_id`` and the nonce ``key``."""
    names = [f.attname for f in Lot._meta.concrete_fields if f.attname in row]
    lot = Lot.from_db("default", names, [row[name] for name in names])
    return Snapshot(
        lot=lot,
        session_status=row["session_status"],
        reg_id=row["reg_id"],
        reg_status=row["reg_status"],
        reg_deposit=row["reg_deposit"],
        kept_id=row["kept_id"],
        own_package=bool(row.get("own_package")),
        user_id=user_id,
        key=key,
    )


_ATTEMPT_FIELDS = [f.attname for f in BidAttempt._meta.concrete_fields]
_BID_FIELDS = [f.attname for f in Bid._meta.concrete_fields]

#: A kept attempt with its bid and the bid's bidder number, compiled once per thread (replays).
_KEPT = PreparedRead(
    lambda pk: BidAttempt.objects.filter(pk=pk).values(
        *_ATTEMPT_FIELDS, *(f"bid__{name}" for name in _BID_FIELDS), "bid__registration__number"
    )[:1],
    pk=-7_300_004,
)


def _kept_attempt(pk: int) -> BidAttempt:
    """The kept attempt ``pk`` with its accepted bid (and the bid's bidder number): one prepared read."""
    row = _KEPT.one(pk=pk)
    if row is None:
        raise BidAttempt.DoesNotExist
    kept = BidAttempt.from_db("default", _ATTEMPT_FIELDS, [row[name] for name in _ATTEMPT_FIELDS])
    if row["bid__id"] is not None:
        bid = Bid.from_db("default", _BID_FIELDS, [row[f"bid__{name}"] for name in _BID_FIELDS])
        bid.registration = Registration(
            pk=bid.registration_id, number=row["bid__registration__number"], payment_code=""
        )
        kept.bid = bid
    return kept


def _precheck(snap: Snapshot, actor: Any, value: Decimal, now: datetime) -> None:
    """The refusals one read decides, in the order the full rules apply them (no lock, no write)."""
    lot = snap.lot
    if lot.status != LotStatus.LISTED or snap.session_status != SessionStatus.PUBLISHED:
        raise BidRefused("closed", _("This lot is not open for bids."))
    if now < lot.starts_at:
        raise BidRefused("not_started", _("Bidding on this lot has not opened yet."))
    if now >= lot.ends_at:
        raise BidRefused("closed", _("Bidding on this lot has closed."))
    if snap.reg_id is None:
        raise BidRefused("not_registered", _("Register for this session before bidding."))
    reg = Registration(  # only what the rules read (and no payment reference drawn for nothing)
        pk=snap.reg_id, status=snap.reg_status or "", deposit_status=snap.reg_deposit or "", payment_code=""
    )
    if refused := registration_refusal(reg):
        raise BidRefused(*refused)
    if lot.seller_id == actor.organization_id or snap.own_package:
        raise BidRefused("own_lot", _("You cannot bid on a lot sold by your own organisation."))
    if lot.format == LotFormat.ENGLISH:
        if lot.leader_id == snap.reg_id:
            raise BidRefused("leading", _("You are already the highest bidder."))
        _check_minimum(lot, value)
    elif lot.is_sealed:
        _check_sealed_minimum(lot, value)
    else:
        if lot.bid_count:
            raise BidRefused("closed", _("This lot has already been sold."))
        _check_clock(lot, value, now)


def _check_minimum(lot: Lot, value: Decimal) -> None:
    minimum = minimum_bid(lot)
    if value < minimum:
        raise BidRefused(
            "too_low",
            _("The minimum bid is now %(minimum)s yuan (current price plus the increment).")
            % {"minimum": f"{minimum:,.2f}"},
        )


def _check_sealed_minimum(lot: Lot, value: Decimal) -> None:
    if value < lot.starting_price:
        raise BidRefused(
            "too_low",
            _("A sealed bid must be at least the starting price of %(minimum)s yuan.")
            % {"minimum": f"{lot.starting_price:,.2f}"},
        )


def _check_clock(lot: Lot, value: Decimal, now: datetime) -> Decimal:
    clock = dutch_price(lot, now)
    if value < clock:
        raise BidRefused(
            "too_low",
            _("The clock price is %(price)s yuan; accept that price to buy.") % {"price": f"{clock:,.2f}"},
        )
    return clock


def _keep_refusal(
    exc: BidRefused, *, actor: Any, lot_id: int, value: Decimal, key: str, digest: str, lot: Lot | None
) -> BidResult:
    """Store a refused attempt (one INSERT, no transaction: ``attempts.keep``), then raise the refusal;
    when another request with the same nonce stored its outcome first, answer with that one instead."""
    row = BidAttempt(
        lot_id=lot_id,
        user=actor,
        nonce=key,
        amount=value,
        outcome=BidAttempt.Outcome.REFUSED,
        reason=exc.code[:32],
        message=str(exc.message)[:300],
        body_hash=digest,
    )
    if not attempts.keep(row) and (kept := attempts.find(lot_id, actor.pk, key)) is not None:
        return _replay(kept, value, digest, lot or Lot.objects.get(pk=lot_id))
    exc.lot = lot or exc.lot
    raise exc


def place_bid(
    *, actor: Any, lot_id: int, amount: Any, nonce: Any, snapshot: Snapshot | None = None
) -> BidResult:
    """Place one bid: accepted atomically or refused with a reason (``BidRefused``), changing nothing
    on the lot. Every attempt of a signed-in bidder is kept (``BidAttempt``), refused ones included.

    English: at least the minimum next bid, not when already leading; soft close may extend the end;
    proxies answer in the same transaction. Sealed: one hidden bid per bidder, at least the starting
    price. Dutch: accepts the current clock price and closes the lot. The same ``nonce`` with the same
    amount returns the original outcome (accepted or refused); with another amount it is refused as
    ``nonce_reused``.

    The lean path: one narrow read (``_snapshot``) decides replays and most refusals with no transaction
    and no lock; only a possible winner takes a short transaction that locks the lot row
    (``SELECT … FOR UPDATE``; on SQLite the write lock) and applies the full rules again. A ``snapshot``
    read ahead (the bid lane reads it with the API token, ``auctions.fastbid``) is used instead of reading
    one when it is this lot's, this actor's and this nonce's.
    """
    value = parse_amount(amount)
    key = clean_nonce(nonce)
    if not getattr(actor, "is_authenticated", False):
        raise BidRefused("not_registered", _("Sign in and register for this session to bid."))
    digest = body_hash(int(lot_id), value)
    if snapshot is not None and (snapshot.lot.pk, snapshot.user_id, snapshot.key) == (
        int(lot_id),
        actor.pk,
        key,
    ):
        snap: Snapshot | None = snapshot
    else:
        snap = _snapshot(lot_id, actor, key)
    if snap is None:
        raise BidRefused("not_found", _("This lot does not exist."))
    lot_seen: Lot | None = snap.lot
    try:
        kept = attempts.pending(snap.lot.pk, actor.pk, key)
        if kept is None and snap.kept_id is not None:
            kept = _kept_attempt(snap.kept_id)
        if kept is not None:
            return _replay(kept, value, digest, snap.lot)
        _precheck(snap, actor, value, timezone.now())
        lot_seen = None
        tries = iter(range(CONFLICT_RETRIES + 1))
        return _with_retries(lambda: _decide_winner(actor, snap.lot.pk, value, key, digest, next(tries) > 0))
    except Lot.DoesNotExist:
        raise BidRefused("not_found", _("This lot does not exist.")) from None
    except BidRefused as exc:
        exc.reg_id = snap.reg_id
        if exc.lot is None:
            exc.lot = lot_seen
        if exc.replayed or exc.code in NOT_KEPT:
            raise
        return _keep_refusal(
            exc, actor=actor, lot_id=snap.lot.pk, value=value, key=key, digest=digest, lot=lot_seen
        )


def _decide_winner(actor: Any, lot_id: int, value: Decimal, key: str, digest: str, retry: bool) -> BidResult:
    """Inside the short transaction: lock the lot row, apply every rule again, record the bid.

    The first try trusts the snapshot about the nonce's attempt (none); if another request stored one
    meanwhile, the attempts' unique key fails the INSERT and the retry looks it up."""
    lot = Lot.objects.select_for_update(no_key=True, of=("self",)).select_related("session").get(pk=lot_id)
    try:
        return _decide_locked(lot, actor, value, key, digest, retry)
    except BidRefused as exc:
        exc.lot = lot
        raise


def _decide_locked(lot: Lot, actor: Any, value: Decimal, key: str, digest: str, retry: bool) -> BidResult:
    if retry and (kept := attempts.find(lot.pk, actor.pk, key)) is not None:
        return _replay(kept, value, digest, lot)
    previous = Bid.objects.filter(lot=lot, nonce=key).select_related("registration").first()
    if previous is not None:
        if previous.registration.user_id != actor.pk:
            raise BidRefused("replayed", _("This bid form was already used. Reload the page and bid again."))
        # a bid accepted before attempts were kept
        if previous.amount != value:
            raise _nonce_reused()
        return BidResult(bid=previous, lot=lot, replayed=True)
    now = timezone.now()
    _check_open(lot, now)
    reg = _bidder(actor, lot)
    if lot.format == LotFormat.ENGLISH:
        if lot.leader_id == reg.pk:
            raise BidRefused("leading", _("You are already the highest bidder."))
        _check_minimum(lot, value)
        bid = _record(lot, reg, value, BidKind.MANUAL, key, now)
        _resolve_proxies(lot, now)
    elif lot.is_sealed:
        _check_sealed_minimum(lot, value)
        if Bid.objects.filter(lot=lot, registration=reg).exists():
            raise BidRefused("already_bid", _("You have already submitted your sealed bid for this lot."))
        bid = _record(lot, reg, value, BidKind.SEALED, key, now, set_price=False)
    else:
        if lot.bid_count:
            raise BidRefused("closed", _("This lot has already been sold."))
        clock = _check_clock(lot, value, now)
        bid = _record(lot, reg, clock, BidKind.DUTCH, key, now)
        _close(lot, actor=actor, now=now, force=True)
    BidAttempt.objects.create(
        lot=lot,
        user=actor,
        nonce=key,
        amount=value,
        outcome=BidAttempt.Outcome.ACCEPTED,
        bid=bid,
        body_hash=digest,
        created_at=now,
    )
    audit.record(
        lot, "auctions.lot.bid_accepted", actor=actor, data={"seq": bid.seq, "amount": str(bid.amount)}
    )
    return BidResult(bid=bid, lot=lot)


def set_proxy(*, actor: Any, lot_id: int, max_amount: Any) -> ProxyBid:
    """Set (or raise) the actor's hidden maximum on an English lot; the platform bids for them at
    once if they are not leading."""
    value = parse_amount(max_amount)

    def attempt() -> ProxyBid:
        lot = Lot.objects.select_related("session").get(pk=lot_id)
        if lot.format != LotFormat.ENGLISH:
            raise BidRefused("format", _("Proxy bidding is only available in English auctions."))
        now = timezone.now()
        _check_open(lot, now)
        reg = _bidder(actor, lot)
        floor = (
            lot.current_price
            if lot.leader_id == reg.pk and lot.current_price
            else minimum_bid(lot) - Decimal("0.01")
        )
        if value <= floor:
            raise BidRefused(
                "too_low",
                _("Your maximum must be at least %(minimum)s yuan.")
                % {"minimum": f"{minimum_bid(lot):,.2f}"},
            )
        proxy, created = ProxyBid.objects.get_or_create(
            lot=lot, registration=reg, defaults={"max_amount": value}
        )
        if not created:
            if value < proxy.max_amount and lot.leader_id == reg.pk:
                raise BidRefused("too_low", _("While you lead, your maximum can only be raised."))
            proxy.max_amount = value
            proxy.updated_at = now
            proxy.save(update_fields=["max_amount", "updated_at"])
        audit.record(lot, "auctions.lot.proxy_set", actor=actor, data={"registration": reg.pk})
        _resolve_proxies(lot, now)
        return proxy

    try:
        return _with_retries(attempt)
    except Lot.DoesNotExist:
        raise BidRefused("not_found", _("This lot does not exist.")) from None
