"""Writes of auctions: sessions, lots and screening, bidder registration and deposits, bids and proxy
bids, closing and the hand-off to contracts/deals.

Every function takes ``actor=``, runs inside ``transaction.atomic()`` and writes an audit entry.
Contested rows change only through conditional UPDATEs whose row count is checked, so two bids
placed at the same moment (two tabs, two app servers) cannot both win, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.roles import Role, is_operator, is_staff_reviewer
from techbridge.core.workflow import ReviewStatus, TransitionError, transition

from . import chain
from .choices import (
    BIDDABLE_DEPOSIT,
    BidKind,
    CloseOutcome,
    DepositStatus,
    LotFormat,
    LotStatus,
    RegistrationStatus,
    SessionStatus,
)
from .models import AuctionSession, Bid, Lot, ProxyBid, Registration

log = logging.getLogger(__name__)

MAX_AMOUNT = Decimal("99999999999999.99")
CONFLICT_RETRIES = 8
NONCE_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


# ---- errors and results ------------------------------------------------------------------------------


class BidRefused(Exception):
    """A bid (or proxy) the rules refuse; ``code`` is stable for API clients, ``message`` translated."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class _Conflict(Exception):
    """The lot row changed between our read and our conditional UPDATE: read again and retry."""


@dataclass
class BidResult:
    bid: Bid
    lot: Lot
    replayed: bool = False


# ---- pure rules --------------------------------------------------------------------------------------


def parse_amount(raw: Any) -> Decimal:
    """A yuan amount from user input, or ``BidRefused('malformed')``: positive, at most 2 decimals."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise BidRefused("malformed", _("Enter the amount as a number of yuan, e.g. 120000.")) from None
    if not value.is_finite() or value <= 0:
        raise BidRefused("malformed", _("The amount must be a positive number of yuan."))
    if value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise BidRefused("malformed", _("The amount may have at most two decimal places and 14 digits."))
    return value.quantize(Decimal("0.01"))


def clean_nonce(raw: Any) -> str:
    nonce = str(raw or "").strip()
    if not NONCE_RE.match(nonce):
        raise BidRefused("malformed", _("The bid form has expired. Reload the page and bid again."))
    return nonce


def new_nonce() -> str:
    return uuid.uuid4().hex


def step_for(lot: Lot, price: Decimal) -> Decimal:
    """The minimum increment at ``price``: the ladder's step for the highest threshold reached."""
    step = lot.increment
    for threshold, value in sorted((Decimal(str(a)), Decimal(str(b))) for a, b in lot.increment_ladder or []):
        if price >= threshold:
            step = value
    return step


def minimum_bid(lot: Lot) -> Decimal:
    """The lowest acceptable next bid on an English or sealed lot."""
    if lot.current_price is None or lot.format != LotFormat.ENGLISH:
        return lot.starting_price
    return lot.current_price + step_for(lot, lot.current_price)


def dutch_floor(lot: Lot) -> Decimal:
    return lot.reserve_price or (lot.dutch_decrement or lot.increment)


def dutch_price(lot: Lot, now: datetime | None = None) -> Decimal:
    """The Dutch clock: the starting price, lowered by one step every interval, never below the floor."""
    now = now or timezone.now()
    if now <= lot.starts_at:
        return lot.starting_price
    ticks = int((now - lot.starts_at).total_seconds() // max(lot.dutch_interval_seconds, 1))
    price = lot.starting_price - (lot.dutch_decrement or lot.increment) * ticks
    return max(price, dutch_floor(lot))


def extended_end(lot: Lot, now: datetime) -> datetime:
    """Soft close: a bid inside the last ``soft_close_minutes`` moves the end ``extension_minutes``
    later, never past the scheduled end plus ``extension_cap_minutes``."""
    if not (lot.soft_close_minutes and lot.extension_minutes):
        return lot.ends_at
    if now < lot.ends_at - timedelta(minutes=lot.soft_close_minutes):
        return lot.ends_at
    return max(lot.ends_at, min(lot.ends_at + timedelta(minutes=lot.extension_minutes), lot.hard_end_at))


def is_own_lot(lot: Lot, organization_id: int | None) -> bool:
    """Whether the organisation sells this lot (as seller, or as owner of an achievement in the package)."""
    if organization_id is None:
        return False
    if lot.seller_id == organization_id:
        return True
    if lot.package_id:
        from techbridge.achievements.models import Achievement

        return Achievement.objects.filter(packages=lot.package_id, owner_id=organization_id).exists()
    return False


# ---- sessions and lots (operators) -------------------------------------------------------------------


def _require_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("Only platform operators run auctions."))


def save_session(*, actor: Any, session: AuctionSession) -> AuctionSession:
    """Create or update a session (operators)."""
    _require_operator(actor)
    with transaction.atomic():
        created = session.pk is None
        if created:
            session.created_by = actor
            session.organizer = session.organizer or actor.organization
        session.updated_at = timezone.now()
        session.full_clean()
        session.save()
        audit.record(
            session, "auctions.session_created" if created else "auctions.session_updated", actor=actor
        )
    return session


def publish_session(*, actor: Any, session: AuctionSession) -> None:
    _require_operator(actor)
    transition(
        session,
        SessionStatus.PUBLISHED,
        actor=actor,
        action="auctions.session_published",
        changes={"published_at": timezone.now()},
    )


def cancel_session(*, actor: Any, session: AuctionSession) -> None:
    _require_operator(actor)
    if session.lots.filter(bid_count__gt=0).exists():
        raise TransitionError(_("A session with bids cannot be cancelled."))
    with transaction.atomic():
        transition(session, SessionStatus.CANCELLED, actor=actor, action="auctions.session_cancelled")
        for lot in session.lots.exclude(status__in=[LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.WITHDRAWN]):
            transition(lot, LotStatus.WITHDRAWN, actor=actor, action="auctions.lot_withdrawn")
        for reg in session.registrations.filter(deposit_status=DepositStatus.PAID):
            refund_deposit(
                actor=actor, registration=reg, message=_("Automatic refund: the session was cancelled.")
            )


def lot_seller(lot: Lot, actor: Any) -> Any:
    """The seller: the achievement's owner; for a package, the platform (the session's organiser)
    selling on behalf of the owners of its achievements."""
    if lot.achievement is not None:
        return lot.achievement.owner
    return lot.session.organizer or actor.organization


def validate_lot(lot: Lot) -> None:
    """Rules a lot must satisfy before it is saved (raises ``ValidationError``)."""
    errors: dict[str, str] = {}
    if bool(lot.achievement_id) == bool(lot.package_id):
        errors["achievement"] = _("Choose either an achievement or an achievement package.")
    elif lot.achievement is not None and lot.achievement.status != ReviewStatus.PUBLISHED:
        errors["achievement"] = _("Only a published achievement can be auctioned.")
    elif lot.package is not None and lot.package.status != "published":
        errors["package"] = _("Only a published achievement package can be auctioned.")
    if lot.starts_at and lot.scheduled_end_at and lot.scheduled_end_at <= lot.starts_at:
        errors["scheduled_end_at"] = _("The end must be after the start.")
    if lot.format == LotFormat.DUTCH:
        if not lot.dutch_decrement:
            errors["dutch_decrement"] = _("A Dutch auction needs a clock step.")
        if lot.reserve_price is not None and lot.reserve_price >= lot.starting_price:
            errors["reserve_price"] = _(
                "In a Dutch auction the floor (reserve) must be below the starting price."
            )
    elif lot.reserve_price is not None and lot.starting_price and lot.reserve_price < lot.starting_price:
        errors["reserve_price"] = _("The reserve cannot be below the starting price.")
    for row in lot.increment_ladder or []:
        try:
            threshold, step = (Decimal(str(v)) for v in row)
        except (TypeError, ValueError, InvalidOperation):
            errors["increment_ladder"] = _("Each ladder row is a price and a step, e.g. 100000 5000.")
            break
        if threshold < 0 or step <= 0:
            errors["increment_ladder"] = _("Ladder prices must be zero or more and steps positive.")
            break
    if errors:
        raise ValidationError(errors)


def save_lot(*, actor: Any, lot: Lot) -> Lot:
    """Create or update a lot while it is a draft or was rejected (operators)."""
    _require_operator(actor)
    if lot.pk and lot.status not in (LotStatus.DRAFT, LotStatus.REJECTED):
        raise TransitionError(_("A lot can only be edited before it is submitted for screening."))
    with transaction.atomic():
        created = lot.pk is None
        validate_lot(lot)
        lot.seller = lot_seller(lot, actor)
        lot.ends_at = lot.scheduled_end_at
        if created:
            lot.created_by = actor
        if lot.format == LotFormat.DUTCH:
            lot.soft_close_minutes = 0
            lot.extension_minutes = 0
        lot.updated_at = timezone.now()
        lot.full_clean(exclude=["seller"])
        lot.save()
        audit.record(lot, "auctions.lot_created" if created else "auctions.lot_updated", actor=actor)
    return lot


def submit_lot(*, actor: Any, lot: Lot) -> None:
    """Send a draft (or rejected) lot to legal-status screening."""
    _require_operator(actor)
    with transaction.atomic():
        if lot.status == LotStatus.REJECTED:
            transition(lot, LotStatus.DRAFT, actor=actor, action="auctions.lot_reopened")
        transition(lot, LotStatus.SCREENING, actor=actor, action="auctions.lot_submitted")


def screen_lot(
    *,
    actor: Any,
    lot: Lot,
    approve: bool,
    rights_verified: bool,
    rights_in_force: bool,
    no_encumbrance: bool,
    note: str = "",
) -> None:
    """A reviewer's legal-status screening: listing needs all three checks; a rejection needs a note."""
    if not is_staff_reviewer(actor):
        raise PermissionDenied(_("Only platform reviewers screen lots."))
    checks = {
        "rights_verified": rights_verified,
        "rights_in_force": rights_in_force,
        "no_encumbrance": no_encumbrance,
        "screening_note": note.strip(),
        "screened_by": actor,
        "screened_at": timezone.now(),
    }
    if approve:
        if not (rights_verified and rights_in_force and no_encumbrance):
            raise ValidationError(
                _("List a lot only when ownership, validity and no encumbrance are all confirmed.")
            )
        if lot.session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            raise TransitionError(_("The session is no longer open."))
        transition(lot, LotStatus.LISTED, actor=actor, action="auctions.lot_listed", changes=checks)
    else:
        if not note.strip():
            raise ValidationError(_("Give the reason for rejecting the lot."))
        transition(
            lot, LotStatus.REJECTED, actor=actor, action="auctions.lot_rejected", message=note, changes=checks
        )


def withdraw_lot(*, actor: Any, lot: Lot, reason: str = "") -> None:
    """Withdraw a lot that has no bids yet."""
    _require_operator(actor)
    with transaction.atomic():
        rows = Lot.objects.filter(pk=lot.pk, bid_count=0).exclude(
            status__in=[LotStatus.SOLD, LotStatus.UNSOLD]
        )
        if not rows.exists():
            raise TransitionError(_("A lot that has bids cannot be withdrawn."))
        transition(lot, LotStatus.WITHDRAWN, actor=actor, action="auctions.lot_withdrawn", message=reason)


# ---- bidders and deposits ----------------------------------------------------------------------------


def check_may_register(actor: Any, session: AuctionSession) -> None:
    """Qualification: a signed-in member of an approved organisation, not platform staff."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to register as a bidder."))
    if actor.role in (Role.REVIEWER, Role.OPERATOR, Role.OFFICIAL) or actor.is_superuser:
        raise PermissionDenied(_("Platform staff and officials may not bid."))
    org = actor.organization
    if org is None or not org.is_approved:
        raise PermissionDenied(_("Only members of an approved organisation can register as bidders."))
    if session.status != SessionStatus.PUBLISHED:
        raise TransitionError(_("Registration is open only while the session is published."))


def register_bidder(*, actor: Any, session: AuctionSession) -> Registration:
    """Register ``actor`` in ``session`` (idempotent: a second call returns the same registration).

    The bidder gets the next paddle number; the deposit is required when the session asks one.
    """
    check_may_register(actor, session)
    existing = Registration.objects.filter(session=session, user=actor).first()
    if existing:
        return existing
    for _attempt in range(CONFLICT_RETRIES):
        try:
            with transaction.atomic():
                number = (session.registrations.aggregate(m=Max("number"))["m"] or 0) + 1
                reg = Registration.objects.create(
                    session=session,
                    user=actor,
                    organization=actor.organization,
                    number=number,
                    deposit_amount=session.deposit_amount,
                    deposit_status=DepositStatus.REQUIRED
                    if session.needs_deposit
                    else DepositStatus.NOT_REQUIRED,
                    qualification_note=_("Member of approved organisation %(org)s")
                    % {"org": actor.organization.name},
                )
                audit.record(reg, "auctions.bidder_registered", actor=actor, to_state=reg.deposit_status)
                return reg
        except IntegrityError:
            existing = Registration.objects.filter(session=session, user=actor).first()
            if existing:
                return existing
    raise TransitionError(_("Registration is busy. Please try again."))


def confirm_deposit(*, actor: Any, registration: Registration, reference: str = "") -> None:
    """An operator confirms the deposit has arrived (bank transfer reference)."""
    _require_operator(actor)
    transition(
        registration,
        DepositStatus.PAID,
        actor=actor,
        action="auctions.deposit_paid",
        changes={"deposit_paid_at": timezone.now(), "deposit_reference": reference.strip()[:100]},
    )
    notify(
        registration.user,
        kind="auctions.deposit_paid",
        title=_("Deposit received: you may bid in %(session)s") % {"session": registration.session.title},
        link=reverse("auctions:session", args=[registration.session_id]),
        dedupe_key=f"auctions.deposit_paid:{registration.pk}",
    )


def refund_deposit(*, actor: Any, registration: Registration, message: str = "") -> None:
    transition(
        registration,
        DepositStatus.REFUNDED,
        actor=actor,
        action="auctions.deposit_refunded",
        message=message,
        changes={"deposit_settled_at": timezone.now()},
    )
    notify(
        registration.user,
        kind="auctions.deposit_refunded",
        title=_("Your deposit for %(session)s is being refunded") % {"session": registration.session.title},
        link=reverse("auctions:session", args=[registration.session_id]),
        dedupe_key=f"auctions.deposit_refunded:{registration.pk}",
    )


def forfeit_deposit(*, actor: Any, registration: Registration, reason: str) -> None:
    """An operator forfeits a defaulting winner's deposit (a reason is required)."""
    _require_operator(actor)
    if not reason.strip():
        raise ValidationError(_("Give the reason for forfeiting the deposit."))
    transition(
        registration,
        DepositStatus.FORFEITED,
        actor=actor,
        action="auctions.deposit_forfeited",
        message=reason,
        changes={"deposit_settled_at": timezone.now()},
    )


# ---- bids -------------------------------------------------------------------------------------------


def _bidder(actor: Any, lot: Lot) -> Registration:
    """The actor's registration for the lot's session, or the reason they may not bid."""
    if not getattr(actor, "is_authenticated", False):
        raise BidRefused("not_registered", _("Sign in and register for this session to bid."))
    reg = Registration.objects.filter(session_id=lot.session_id, user=actor).first()
    if reg is None:
        raise BidRefused("not_registered", _("Register for this session before bidding."))
    if reg.status != RegistrationStatus.QUALIFIED:
        raise BidRefused("not_qualified", _("Your registration was not qualified for this session."))
    if reg.deposit_status not in BIDDABLE_DEPOSIT:
        raise BidRefused("deposit_unpaid", _("Your deposit has not been confirmed yet, so you cannot bid."))
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


def place_bid(*, actor: Any, lot_id: int, amount: Any, nonce: Any) -> BidResult:
    """Place one bid: accepted atomically or refused with a reason (``BidRefused``), changing nothing.

    English: at least the minimum next bid, not when already leading; soft close may extend the end;
    proxies answer in the same transaction. Sealed: one hidden bid per bidder, at least the starting
    price. Dutch: accepts the current clock price and closes the lot. A replayed ``nonce`` returns
    the original bid.
    """
    value = parse_amount(amount)
    key = clean_nonce(nonce)

    def attempt() -> BidResult:
        lot = Lot.objects.select_related("session").get(pk=lot_id)
        previous = Bid.objects.filter(lot=lot, nonce=key).select_related("registration").first()
        if previous is not None:
            if previous.registration.user_id != getattr(actor, "pk", None):
                raise BidRefused(
                    "replayed", _("This bid form was already used. Reload the page and bid again.")
                )
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
        audit.record(
            lot, "auctions.bid_accepted", actor=actor, data={"seq": bid.seq, "amount": str(bid.amount)}
        )
        return BidResult(bid=bid, lot=lot)

    try:
        return _with_retries(attempt)
    except Lot.DoesNotExist:
        raise BidRefused("not_found", _("This lot does not exist.")) from None


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
        audit.record(lot, "auctions.proxy_set", actor=actor, data={"registration": reg.pk})
        _resolve_proxies(lot, now)
        return proxy

    try:
        return _with_retries(attempt)
    except Lot.DoesNotExist:
        raise BidRefused("not_found", _("This lot does not exist.")) from None


# ---- closing ----------------------------------------------------------------------------------------


def _sealed_result(lot: Lot) -> tuple[Registration | None, Decimal | None]:
    bids = list(lot.bids.select_related("registration").order_by("-amount", "seq")[:2])
    if not bids:
        return None, None
    top = bids[0]
    if lot.format == LotFormat.SEALED_FIRST:
        return top.registration, top.amount
    second = bids[1].amount if len(bids) > 1 else lot.starting_price
    price = max(second, lot.reserve_price or Decimal("0"), lot.starting_price)
    return top.registration, min(price, top.amount)


def _close(lot: Lot, *, actor: Any, now: datetime, force: bool = False, handoff: bool = True) -> bool:
    """Close one listed lot whose end has passed (``force``: a Dutch lot just bought). Returns False
    when someone else closed it first."""
    if lot.is_sealed:
        leader, price = _sealed_result(lot)
    else:
        leader, price = lot.leader, lot.current_price
    reserve = lot.reserve_price if lot.format != LotFormat.DUTCH else None
    if leader is None or price is None:
        status, outcome = LotStatus.UNSOLD, CloseOutcome.NO_BIDS
    elif reserve is not None and price < reserve:
        status, outcome = LotStatus.UNSOLD, CloseOutcome.RESERVE_NOT_MET
    else:
        status, outcome = LotStatus.SOLD, CloseOutcome.SOLD
    guard = Q(pk=lot.pk, status=LotStatus.LISTED, version=lot.version)
    if not force:
        guard &= Q(ends_at__lte=now)
    changes: dict[str, Any] = {"status": status, "outcome": outcome, "closed_at": now, "updated_at": now}
    if status == LotStatus.SOLD:
        changes.update(hammer_price=price, winner=leader)
    if Lot.objects.filter(guard).update(version=F("version") + 1, **changes) != 1:
        return False
    from_state = lot.status
    lot.refresh_from_db()
    audit.record(
        lot,
        "auctions.lot_closed",
        actor=actor,
        from_state=from_state,
        to_state=status,
        data={
            "outcome": outcome,
            "price": str(price) if price is not None else None,
            "bidder": leader.number if leader else None,
        },
    )
    link = reverse("auctions:lot", args=[lot.pk])
    if status == LotStatus.SOLD and leader is not None:
        notify(
            leader.user,
            kind="auctions.won",
            title=_("You won the lot %(title)s") % {"title": lot.title},
            body=_("Hammer price: %(price)s yuan. A contract draft follows.") % {"price": f"{price:,.2f}"},
            link=link,
            dedupe_key=f"auctions.won:{lot.pk}",
        )
    elif outcome == CloseOutcome.RESERVE_NOT_MET and leader is not None:
        notify(
            leader.user,
            kind="auctions.reserve_not_met",
            title=_("Reserve not met for %(title)s: post-auction negotiation offered") % {"title": lot.title},
            link=link,
            dedupe_key=f"auctions.reserve_not_met:{lot.pk}",
        )
    _settle_session(lot.session, actor=actor)
    if handoff:
        pk = lot.pk
        transaction.on_commit(lambda: hand_off(pk))
    return True


def _settle_session(session: AuctionSession, *, actor: Any) -> None:
    """When no lot of the session is still open: refund every paid deposit except the winners'
    (theirs is held against the contract) and close the session."""
    if session.lots.filter(status__in=[LotStatus.LISTED, LotStatus.SCREENING]).exists():
        return
    winners = set(session.lots.filter(winner__isnull=False).values_list("winner_id", flat=True))
    for reg in session.registrations.filter(deposit_status=DepositStatus.PAID).exclude(pk__in=winners):
        refund_deposit(actor=actor, registration=reg, message=_("Automatic refund: the session has closed."))
    session.refresh_from_db()
    if session.status == SessionStatus.PUBLISHED:
        transition(session, SessionStatus.CLOSED, actor=actor, action="auctions.session_closed")


def close_lot(lot_id: int, *, actor: Any = None, now: datetime | None = None, handoff: bool = True) -> bool:
    """Close the lot if it is listed and past its end; idempotent (False when nothing to do)."""
    now = now or timezone.now()
    with transaction.atomic():
        lot = Lot.objects.select_related("session", "leader__user").filter(pk=lot_id).first()
        if lot is None or lot.status != LotStatus.LISTED or lot.ends_at > now:
            return False
        return _close(lot, actor=actor, now=now, handoff=handoff)


def close_due_lots(now: datetime | None = None) -> dict[str, int]:
    """Close every listed lot whose end has passed (also those missed while the server was down)
    and retry hand-offs that failed; safe to run from several processes at once."""
    now = now or timezone.now()
    closed = 0
    for pk in Lot.objects.filter(status=LotStatus.LISTED, ends_at__lte=now).values_list("pk", flat=True):
        try:
            closed += close_lot(pk, now=now)
        except Exception:  # one broken lot must not stop the others closing
            log.exception("closing lot %s failed", pk)
    pending = Lot.objects.filter(
        Q(status=LotStatus.SOLD, contract_id__isnull=True)
        | Q(status=LotStatus.UNSOLD, outcome=CloseOutcome.RESERVE_NOT_MET, room_id__isnull=True)
    ).values_list("pk", flat=True)
    handed = sum(1 for pk in pending if hand_off(pk))
    return {"closed": closed, "handed_off": handed}


def hand_off(lot_id: int) -> bool:
    """Winner → a contract draft in contracts; reserve not met → a negotiation room with the highest
    bidder in deals. Idempotent: the id is claimed by a conditional UPDATE inside the same
    transaction as the creation, so a second run creates nothing."""
    lot = Lot.objects.select_related(
        "session__created_by", "winner__organization", "leader__organization", "seller"
    ).get(pk=lot_id)
    actor = lot.session.created_by or lot.created_by
    try:
        if lot.status == LotStatus.SOLD and lot.contract_id is None and lot.winner is not None:
            assert lot.hammer_price is not None  # guaranteed by the sold_has_winner constraint
            from techbridge.contracts.services import create_draft_contract

            with transaction.atomic():
                contract = create_draft_contract(
                    actor=None,  # the system acts for the platform when an auction closes
                    seller=lot.seller,
                    buyer=lot.winner.organization,
                    title=lot.title,
                    amount=lot.hammer_price,
                    achievement=lot.achievement,
                    package=lot.package,
                    deal_mode=lot.deal_mode_code,
                    origin="auction",
                    origin_ref=f"lot:{lot.pk}",
                )
                if (
                    Lot.objects.filter(pk=lot.pk, contract_id__isnull=True).update(
                        contract_id=contract.pk, handoff_error=""
                    )
                    != 1
                ):
                    raise _Conflict
                audit.record(lot, "auctions.contract_drafted", actor=actor, data={"contract": contract.pk})
            return True
        if lot.outcome == CloseOutcome.RESERVE_NOT_MET and lot.room_id is None and lot.leader is not None:
            from techbridge.deals.services import open_room

            with transaction.atomic():
                room = open_room(
                    actor=None,
                    achievement=lot.achievement,
                    package=lot.package,
                    buyer=lot.leader.organization,
                    origin="auction",
                    origin_ref=f"lot:{lot.pk}",
                )
                if (
                    Lot.objects.filter(pk=lot.pk, room_id__isnull=True).update(
                        room_id=room.pk, handoff_error=""
                    )
                    != 1
                ):
                    raise _Conflict
                audit.record(lot, "auctions.negotiation_opened", actor=actor, data={"room": room.pk})
            return True
    except _Conflict:
        return False
    except Exception as exc:  # recorded and retried by the next close_due_lots run
        log.exception("hand-off of lot %s failed", lot_id)
        Lot.objects.filter(pk=lot_id).update(handoff_error=str(exc)[:1000])
    return False
