"""Sessions and lots (operators), legal-status screening (reviewers), bidder registration and deposits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.workflow import (
    ReviewStatus,
    TransitionError,
    record_created,
    set_initial_state,
    transition,
)

from ..choices import DepositStatus, LotFormat, LotStatus, SessionStatus
from ..models import AuctionSession, Lot, Registration
from ..permissions import check_bidder, check_screen_lots
from ..permissions import check_run_auctions as _require_operator
from .rules import CONFLICT_RETRIES

# ---- sessions and lots (operators) -------------------------------------------------------------------


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
        if created:
            record_created(session, actor=actor, action="auctions.session.created")
        else:
            audit.record(session, "auctions.session.updated", actor=actor)
    return session


def publish_session(*, actor: Any, session: AuctionSession) -> None:
    _require_operator(actor)
    transition(
        session,
        SessionStatus.PUBLISHED,
        actor=actor,
        action="auctions.session.published",
        changes={"published_at": timezone.now()},
    )


def cancel_session(*, actor: Any, session: AuctionSession) -> None:
    _require_operator(actor)
    if session.lots.filter(bid_count__gt=0).exists():
        raise TransitionError(_("A session with bids cannot be cancelled."))
    with transaction.atomic():
        transition(session, SessionStatus.CANCELLED, actor=actor, action="auctions.session.cancelled")
        for lot in session.lots.exclude(status__in=[LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.WITHDRAWN]):
            transition(lot, LotStatus.WITHDRAWN, actor=actor, action="auctions.lot.withdrawn")
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
        if created:
            record_created(lot, actor=actor, action="auctions.lot.created")
        else:
            audit.record(lot, "auctions.lot.updated", actor=actor)
    return lot


def submit_lot(*, actor: Any, lot: Lot) -> None:
    """Send a draft (or rejected) lot to legal-status screening."""
    _require_operator(actor)
    with transaction.atomic():
        if lot.status == LotStatus.REJECTED:
            transition(lot, LotStatus.DRAFT, actor=actor, action="auctions.lot.reopened")
        transition(lot, LotStatus.SCREENING, actor=actor, action="auctions.lot.submitted")


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
    check_screen_lots(actor)
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
        transition(lot, LotStatus.LISTED, actor=actor, action="auctions.lot.listed", changes=checks)
    else:
        if not note.strip():
            raise ValidationError(_("Give the reason for rejecting the lot."))
        transition(
            lot, LotStatus.REJECTED, actor=actor, action="auctions.lot.rejected", message=note, changes=checks
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
        transition(lot, LotStatus.WITHDRAWN, actor=actor, action="auctions.lot.withdrawn", message=reason)


# ---- bidders and deposits ----------------------------------------------------------------------------


def register_bidder(*, actor: Any, session: AuctionSession) -> Registration:
    """Register ``actor`` in ``session`` (idempotent: a second call returns the same registration).

    The bidder gets the next paddle number; the deposit is required when the session asks one.
    """
    check_bidder(actor)
    if session.status != SessionStatus.PUBLISHED:
        raise TransitionError(_("Registration is open only while the session is published."))
    existing = Registration.objects.filter(session=session, user=actor).first()
    if existing:
        return existing
    for _attempt in range(CONFLICT_RETRIES):
        try:
            with transaction.atomic():
                number = (session.registrations.aggregate(m=Max("number"))["m"] or 0) + 1
                reg = Registration(
                    session=session,
                    user=actor,
                    organization=actor.organization,
                    number=number,
                    deposit_amount=session.deposit_amount,
                    qualification_note=_("Member of approved organisation %(org)s")
                    % {"org": actor.organization.name},
                )
                set_initial_state(
                    reg, DepositStatus.REQUIRED if session.needs_deposit else DepositStatus.NOT_REQUIRED
                )
                reg.save(force_insert=True)
                record_created(reg, actor=actor, action="auctions.registration.created")
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
        action="auctions.registration.deposit_paid",
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
        action="auctions.registration.deposit_refunded",
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
        action="auctions.registration.deposit_forfeited",
        message=reason,
        changes={"deposit_settled_at": timezone.now()},
    )
