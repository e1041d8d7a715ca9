"""Bids and proxy bids: each accepted atomically (a conditional UPDATE on the lot's version, then the
chained bid) or refused with a reason, changing nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit

from .. import chain
from ..choices import BIDDABLE_DEPOSIT, BidKind, LotFormat, LotStatus, RegistrationStatus, SessionStatus
from ..models import Bid, BidAttempt, Lot, ProxyBid, Registration
from ..permissions import registration_refusal
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
    lot.refresh_from_db()
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


#: Refusals not kept as attempts: the request named no lot, or its amount or nonce was malformed.
NOT_KEPT = frozenset({"malformed", "not_found"})


def _nonce_reused() -> BidRefused:
    return BidRefused(
        "nonce_reused",
        _("This bid key was already used for a different bid. Reload the page and bid again."),
    )


def _replay(kept: BidAttempt, value: Decimal, lot: Lot) -> BidResult:
    """The original outcome of the attempt with this nonce, when the body is the same."""
    if kept.amount != value:
        raise _nonce_reused()
    if kept.outcome == BidAttempt.Outcome.ACCEPTED:
        assert kept.bid is not None
        return BidResult(bid=kept.bid, lot=lot, replayed=True)
    raise BidRefused(kept.reason, kept.message, replayed=True)


def _kept(lot_id: int, user_id: int, key: str) -> BidAttempt | None:
    return (
        BidAttempt.objects.filter(lot_id=lot_id, user_id=user_id, nonce=key)
        .select_related("bid__registration")
        .first()
    )


def _keep_refusal(exc: BidRefused, *, actor: Any, lot_id: int, value: Decimal, key: str) -> BidResult:
    """Store a refused attempt, then raise the refusal; when another request with the same nonce
    stored its outcome first, answer with that one instead."""
    try:
        with transaction.atomic():
            BidAttempt.objects.create(
                lot_id=lot_id,
                user=actor,
                nonce=key,
                amount=value,
                outcome=BidAttempt.Outcome.REFUSED,
                reason=exc.code[:32],
                message=str(exc.message)[:300],
            )
    except IntegrityError:
        kept = _kept(lot_id, actor.pk, key)
        if kept is not None:
            return _replay(kept, value, Lot.objects.select_related("session").get(pk=lot_id))
    raise exc


def place_bid(*, actor: Any, lot_id: int, amount: Any, nonce: Any) -> BidResult:
    """Place one bid: accepted atomically or refused with a reason (``BidRefused``), changing nothing
    on the lot. Every attempt of a signed-in bidder is kept (``BidAttempt``), refused ones included.

    English: at least the minimum next bid, not when already leading; soft close may extend the end;
    proxies answer in the same transaction. Sealed: one hidden bid per bidder, at least the starting
    price. Dutch: accepts the current clock price and closes the lot. The same ``nonce`` with the same
    amount returns the original outcome (accepted or refused); with another amount it is refused as
    ``nonce_reused``.
    """
    value = parse_amount(amount)
    key = clean_nonce(nonce)
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    def attempt() -> BidResult:
        lot = Lot.objects.select_related("session").get(pk=lot_id)
        if user_id is not None and (kept := _kept(lot.pk, user_id, key)) is not None:
            return _replay(kept, value, lot)
        previous = Bid.objects.filter(lot=lot, nonce=key).select_related("registration").first()
        if previous is not None:
            if previous.registration.user_id != user_id:
                raise BidRefused(
                    "replayed", _("This bid form was already used. Reload the page and bid again.")
                )
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
            minimum = minimum_bid(lot)
            if value < minimum:
                raise BidRefused(
                    "too_low",
                    _("The minimum bid is now %(minimum)s yuan (current price plus the increment).")
                    % {"minimum": f"{minimum:,.2f}"},
                )
            bid = _record(lot, reg, value, BidKind.MANUAL, key, now)
            _resolve_proxies(lot, now)
        elif lot.is_sealed:
            if value < lot.starting_price:
                raise BidRefused(
                    "too_low",
                    _("A sealed bid must be at least the starting price of %(minimum)s yuan.")
                    % {"minimum": f"{lot.starting_price:,.2f}"},
                )
            if Bid.objects.filter(lot=lot, registration=reg).exists():
                raise BidRefused("already_bid", _("You have already submitted your sealed bid for this lot."))
            bid = _record(lot, reg, value, BidKind.SEALED, key, now, set_price=False)
        else:
            clock = dutch_price(lot, now)
            if lot.bid_count:
                raise BidRefused("closed", _("This lot has already been sold."))
            if value < clock:
                raise BidRefused(
                    "too_low",
                    _("The clock price is %(price)s yuan; accept that price to buy.")
                    % {"price": f"{clock:,.2f}"},
                )
            bid = _record(lot, reg, clock, BidKind.DUTCH, key, now)
            _close(lot, actor=actor, now=now, force=True)
        BidAttempt.objects.create(
            lot=lot,
            user=actor,
            nonce=key,
            amount=value,
            outcome=BidAttempt.Outcome.ACCEPTED,
            bid=bid,
            created_at=now,
        )
        audit.record(
            lot, "auctions.lot.bid_accepted", actor=actor, data={"seq": bid.seq, "amount": str(bid.amount)}
        )
        return BidResult(bid=bid, lot=lot)

    try:
        return _with_retries(attempt)
    except Lot.DoesNotExist:
        raise BidRefused("not_found", _("This lot does not exist.")) from None
    except BidRefused as exc:
        if exc.replayed or user_id is None or exc.code in NOT_KEPT:
            raise
        return _keep_refusal(exc, actor=actor, lot_id=lot_id, value=value, key=key)


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
