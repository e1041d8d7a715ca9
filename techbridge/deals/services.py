"""Writes to negotiation rooms: opening, messages, the NDA step, offers, brokers and disputes.

Every function takes ``actor=``, checks who may act, writes inside ``transaction.atomic()`` and leaves
an audit entry. Accepting an offer creates the draft contract through
``techbridge.contracts.services.create_draft_contract`` (imported inside the function): deals call
contracts, contracts never import deals.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.contracts.choices import DURATION_LIMIT, INSTALMENTS_LIMIT, Exclusivity, PaymentTerms
from techbridge.core import audit, notifications, registry, signals
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import TransitionError, record_created, transition, transition_many
from techbridge.organizations.choices import OrgKind
from techbridge.taxonomy.models import DealMode

from .choices import DisputeStatus, OfferStatus, RoomOrigin, RoomStatus
from .models import BrokerInvitation, Dispute, Message, Offer, Room
from .permissions import (
    check_answer,
    check_participant,
    check_party,
    check_resolve,
    check_trade,
    check_withdraw_offer,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
    ".zip",
}


# ---- state ---------------------------------------------------------------------------------------
# Who may do what is ``permissions`` (the same helpers the pages, the API and the templates use).


def _require_open(room: Room) -> None:
    if room.status != RoomStatus.OPEN:
        raise TransitionError(_("This negotiation is not open."))


def _lock(room: Room) -> None:
    """Serialise moves on one room (both NDA acceptances, simultaneous offers) on PostgreSQL; SQLite
    serialises writers anyway. Without it two sides acting at once could each miss the other's move."""
    if not Room.objects.select_for_update().filter(pk=room.pk).exists():
        raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))


def _touch(room: Room) -> None:
    now = timezone.now()
    Room.objects.filter(pk=room.pk).update(updated_at=now)
    room.updated_at = now


def _participants(room: Room):
    from techbridge.accounts.models import User

    return User.objects.filter(
        Q(organization_id__in=[room.seller_id, room.buyer_id]) | Q(room_invitations__room=room),
        is_active=True,
    ).distinct()


def _notify_others(
    room: Room, actor: Any, *, title: str, body: str = "", kind: str = "deal", dedupe: str = ""
) -> None:
    link = reverse("deals:room", args=[room.pk])
    actor_pk = getattr(actor, "pk", None)
    for user in _participants(room):
        if user.pk != actor_pk:
            key = f"{dedupe}:{user.pk}" if dedupe else ""
            notifications.notify(user, kind=kind, title=title, body=body[:500], link=link, dedupe_key=key)


def _system_message(room: Room, actor: Any, event: str, **params: str) -> None:
    """Record an event in the room's timeline; its text is translated when shown (``Message.text``)."""
    Message.objects.create(
        room=room,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        is_system=True,
        event=event,
        params=params,
    )


# ---- opening ---------------------------------------------------------------------------------


def _package_owner(package: Any) -> Any:
    owners = {a.owner for a in package.achievements.select_related("owner")}
    if len(owners) != 1:
        raise ValidationError(
            {
                "package": _(
                    "A package whose achievements belong to several owners cannot be negotiated in one room."
                )
            }
        )
    return owners.pop()


def open_room(
    *,
    actor: Any,
    achievement: Any = None,
    demand: Any = None,
    package: Any = None,
    buyer: Any = None,
    origin: str = RoomOrigin.LISTING,
    origin_ref: str = "",
) -> Room:
    """Open (or return the open or agreed) negotiation room between a listing's owner and the other side.

    The subject is ``achievement``, ``package`` or ``demand`` (an achievement with a demand comes from a
    match result: the achievement's owner sells, the demand's enterprise buys). The seller is the owner
    of the achievement/package (a package's achievements must share one owner); the buyer is the
    demand's enterprise or else the actor's organisation. When the actor is platform staff or the
    system (``actor=None``, e.g. an auction that missed its reserve, ``origin="auction"``), ``buyer``
    names the counterpart organisation — for a demand-only room, the offering side. Raises
    ``ValidationError`` for a missing/unpublished subject or a room with oneself, ``PermissionDenied``
    for users without an organisation. Returns the room; the other side is notified when it is new.
    """
    if origin not in RoomOrigin.values:
        raise ValidationError({"origin": _("Unknown origin.")})
    if achievement is None and package is None and demand is None:
        raise ValidationError({"subject": _("Choose an achievement, a package or a demand to negotiate.")})
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to negotiate."))
    # Platform staff (and the system) open rooms on behalf of two organisations; everyone else trades.
    system = actor is None or is_staff_reviewer(actor)
    if not system:
        check_trade(actor)
    actor_org = None if system else actor.organization
    if system and buyer is None:
        raise ValidationError({"buyer": _("Name the counterpart organisation.")})
    if not system and package is not None and package.status != "published":
        raise ValidationError({"subject": _("Only published listings can be negotiated.")})
    if not system:
        for listing in (achievement, demand):
            if (
                listing is not None
                and not listing.is_public
                and listing.owner_organization_id != getattr(actor_org, "pk", None)
            ):
                raise ValidationError({"subject": _("Only published listings can be negotiated.")})

    if achievement is not None or package is not None:
        seller = achievement.owner if achievement is not None else _package_owner(package)
        if demand is not None:
            counterpart = demand.enterprise
        elif system:
            counterpart = buyer
        else:
            counterpart = actor_org
        buyer_org = counterpart
        subject_key = f"achievement:{achievement.pk}" if achievement is not None else f"package:{package.pk}"
        title = (achievement or package).title
    else:
        buyer_org = demand.enterprise
        seller = buyer if system else actor_org
        subject_key = f"demand:{demand.pk}"
        title = demand.title
    if seller is None or buyer_org is None or seller.pk == buyer_org.pk:
        raise ValidationError({"subject": _("You cannot negotiate with your own organisation.")})
    if not system and getattr(actor_org, "pk", None) not in (seller.pk, buyer_org.pk):
        raise PermissionDenied(_("Only the two sides can open this negotiation."))

    # An agreed room is still the pair's negotiation about this subject (its contract is under way).
    existing = (
        Room.objects.filter(
            subject_key=subject_key,
            seller=seller,
            buyer=buyer_org,
            status__in=[RoomStatus.OPEN, RoomStatus.AGREED],
        )
        .order_by("-updated_at")
        .first()
    )
    if existing:
        return existing
    room = Room(
        subject_key=subject_key,
        achievement=achievement,
        demand=demand,
        package=package,
        title=title[:200],
        seller=seller,
        buyer=buyer_org,
        origin=origin,
        origin_ref=origin_ref[:100],
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            room.save()
            record_created(
                room,
                actor=actor,
                action="deals.room.opened",
                data={"origin": origin, "origin_ref": origin_ref},
            )
            _system_message(room, actor, "opened")
            _notify_others(room, actor, title=_("New negotiation: %(title)s") % {"title": room.title})
    except IntegrityError:
        # Someone opened the same room a moment ago: use theirs.
        return Room.objects.get(
            subject_key=subject_key, seller=seller, buyer=buyer_org, status=RoomStatus.OPEN
        )
    return room


# ---- messages --------------------------------------------------------------------------------


def validate_attachment(upload: Any) -> None:
    import os

    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError({"attachment": _("This type of file cannot be attached.")})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": _("Attachments are limited to 20 MB.")})


def post_message(room: Room, *, actor: Any, body: str, attachment: Any = None) -> Message:
    """Post a message (participants only, room open or agreed); the others are notified."""
    check_participant(actor, room)
    if room.status == RoomStatus.CLOSED:
        raise TransitionError(_("This negotiation is closed."))
    body = (body or "").strip()
    if not body and attachment is None:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Messages are limited to 5000 characters.")})
    if attachment is not None:
        validate_attachment(attachment)
    with transaction.atomic():
        msg = Message(room=room, author=actor, body=body)
        if attachment is not None:
            msg.attachment_name = attachment.name[:200]
            msg.attachment.save(attachment.name, attachment, save=False)
        msg.save()
        _touch(room)
        _notify_others(
            room,
            actor,
            title=_("New message in %(title)s") % {"title": room.title},
            body=body,
            kind="deal_message",
            # At most one message notification (and e-mail) per room and hour for each reader.
            dedupe=f"room-messages:{room.pk}:{timezone.now():%Y%m%d%H}",
        )
    return msg


# ---- NDA -------------------------------------------------------------------------------------


def accept_room_nda(room: Room, *, actor: Any) -> Room:
    """One side accepts the non-disclosure terms; once both have, the buyer sees the gated detail.

    The buyer-side user who accepted is recorded with the achievements app's NDA service
    (``accept_nda``), which is what unlocks the detail page and attachments for them.
    """
    side = check_participant(actor, room)
    _require_open(room)
    if side == "broker":
        return _broker_accepts_nda(room, actor=actor)
    field_at, field_by = f"{side}_nda_at", f"{side}_nda_by"
    if getattr(room, field_at):
        raise TransitionError(_("Your side has already accepted the NDA."))
    now = timezone.now()
    with transaction.atomic():
        _lock(room)
        rows = Room.objects.filter(pk=room.pk, **{f"{field_at}__isnull": True}).update(
            **{field_at: now, field_by: actor, "updated_at": now}
        )
        if rows != 1:
            raise TransitionError(_("Your side has already accepted the NDA."))
        room.refresh_from_db()
        audit.record(room, "deals.room.nda_accepted", actor=actor, data={"side": side})
        _system_message(room, actor, "nda", org=actor.organization.name)
        if room.nda_complete:
            if room.achievement is not None and room.achievement.is_public and room.buyer_nda_by is not None:
                from techbridge.achievements.services import accept_nda

                accept_nda(room.achievement, actor=room.buyer_nda_by)
            _notify_others(room, actor, title=_("NDA in force: %(title)s") % {"title": room.title})
    return room


def _broker_accepts_nda(room: Room, *, actor: Any) -> Room:
    """An invited broker accepts the non-disclosure terms himself before the gated detail shows to him
    (recorded with the achievements app, as every NDA acceptance is)."""
    from techbridge.achievements.models import NdaAcceptance
    from techbridge.achievements.services import accept_nda

    if room.achievement is None:
        raise TransitionError(_("This negotiation has no confidential detail to accept terms for."))
    if NdaAcceptance.objects.filter(achievement=room.achievement, user=actor).exists():
        raise TransitionError(_("You have already accepted the NDA."))
    with transaction.atomic():
        accept_nda(room.achievement, actor=actor)
        audit.record(room, "deals.room.nda_accepted", actor=actor, data={"side": "broker"})
        _system_message(room, actor, "nda", org=actor.organization.name if actor.organization else "")
    return room


# ---- offers ----------------------------------------------------------------------------------


def _decimal(value: Any, name: str, *, allow_none: bool = True) -> Decimal | None:
    if value in (None, ""):
        if allow_none:
            return None
        raise ValidationError({name: _("This field is required.")})
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({name: _("Enter a number.")}) from None
    if not d.is_finite() or d < 0:
        raise ValidationError({name: _("Enter a number that is not negative.")})
    return d


def make_offer(room: Room, *, actor: Any, data: dict[str, Any]) -> Offer:
    """Put an offer or counter-offer on the table; the open one (if any) is superseded.

    ``data``: ``deal_mode`` (DealMode code), ``price`` (yuan), ``payment_terms``, and per terms
    ``entry_fee`` + ``royalty_rate`` (入门费 + 提成), ``royalty_rate`` (royalty), ``instalments``,
    ``equity_share``; ``duration_months``, ``territory``, ``exclusivity``, ``note``.
    """
    side = check_party(actor, room, _("Brokers advise; only the seller or the buyer makes offers."))
    _require_open(room)
    errors: dict[str, Any] = {}
    deal_mode = str(data.get("deal_mode") or "")
    if not DealMode.objects.filter(code=deal_mode).exists():
        errors["deal_mode"] = _("Choose a deal mode.")
    terms = str(data.get("payment_terms") or "")
    if terms not in PaymentTerms.values:
        errors["payment_terms"] = _("Choose payment terms.")
    exclusivity = str(data.get("exclusivity") or "")
    if exclusivity not in Exclusivity.values:
        errors["exclusivity"] = _("Choose the exclusivity.")
    if errors:
        raise ValidationError(errors)
    price = _decimal(data.get("price"), "price", allow_none=False) or Decimal("0")
    entry_fee = _decimal(data.get("entry_fee"), "entry_fee")
    royalty = _decimal(data.get("royalty_rate"), "royalty_rate")
    equity = _decimal(data.get("equity_share"), "equity_share")
    if royalty is not None and royalty > 100:
        raise ValidationError({"royalty_rate": _("Rates and shares are percentages from 0 to 100.")})
    if equity is not None and equity > 100:
        raise ValidationError({"equity_share": _("Rates and shares are percentages from 0 to 100.")})
    if terms in (PaymentTerms.ROYALTY, PaymentTerms.ENTRY_FEE_ROYALTY) and royalty is None:
        raise ValidationError({"royalty_rate": _("Give the royalty rate.")})
    if terms == PaymentTerms.ENTRY_FEE_ROYALTY and entry_fee is None:
        raise ValidationError({"entry_fee": _("Give the entry fee.")})
    if terms == PaymentTerms.EQUITY and equity is None:
        raise ValidationError({"equity_share": _("Give the equity share.")})
    instalments = data.get("instalments") or None
    duration = data.get("duration_months") or None
    try:
        instalments = int(instalments) if instalments is not None else None
        duration = int(duration) if duration is not None else None
    except (TypeError, ValueError):
        raise ValidationError({"duration_months": _("Enter a whole number.")}) from None
    if terms == PaymentTerms.INSTALMENTS and not instalments:
        raise ValidationError({"instalments": _("Give the number of instalments.")})
    if (instalments is not None and instalments < 1) or (duration is not None and duration < 1):
        raise ValidationError({"duration_months": _("Enter a whole number above zero.")})
    # The one validation of bounds the form, the API and the model share (issue 20 point 3).
    for name, value, limit in (
        ("instalments", instalments, INSTALMENTS_LIMIT),
        ("duration_months", duration, DURATION_LIMIT),
    ):
        if value is not None:
            try:
                limit(value)
            except ValidationError as exc:
                raise ValidationError({name: exc.messages}) from None
    with transaction.atomic():
        _lock(room)
        previous = Offer.objects.filter(room=room, status=OfferStatus.OPEN).first()
        if previous is not None:
            transition(previous, OfferStatus.SUPERSEDED, actor=actor, action="deals.offer.superseded")
        offer = Offer.objects.create(
            room=room,
            side=side,
            made_by=actor,
            deal_mode=deal_mode,
            price=price,
            payment_terms=terms,
            entry_fee=entry_fee,
            royalty_rate=royalty,
            instalments=instalments,
            equity_share=equity,
            duration_months=duration,
            territory=str(data.get("territory") or "")[:100],
            exclusivity=exclusivity,
            note=str(data.get("note") or "")[:2000],
            replaces=previous,
        )
        record_created(
            offer, actor=actor, action="deals.offer.made", data={"price": str(price), "side": side}
        )
        _touch(room)
        _system_message(room, actor, "offer", org=actor.organization.name, price=f"{price:,.2f}")
        _notify_others(room, actor, title=_("New offer in %(title)s") % {"title": room.title})
    return offer


def _answer_check(offer: Offer, actor: Any) -> str:
    side = check_answer(actor, offer)
    _require_open(offer.room)
    return side


def accept_offer(offer: Offer, *, actor: Any) -> Offer:
    """The other side accepts the open offer: the room is agreed and a draft contract is created.

    The contract (``contracts.services.create_draft_contract``) carries the offer's deal mode, price
    and terms; ``origin_ref`` is ``"offer:<pk>"``. All of it commits together or not at all.
    """
    from techbridge.contracts import services as contract_services

    _answer_check(offer, actor)
    room = offer.room
    with transaction.atomic():
        now = timezone.now()
        transition(
            offer,
            OfferStatus.ACCEPTED,
            actor=actor,
            action="deals.offer.accepted",
            changes={"answered_by": actor, "answered_at": now},
        )
        transition(room, RoomStatus.AGREED, actor=actor, action="deals.room.agreed", data={"offer": offer.pk})
        contract = contract_services.create_draft_contract(
            actor=actor,
            seller=room.seller,
            buyer=room.buyer,
            title=room.title,
            amount=offer.price,
            achievement=room.achievement,
            package=room.package,
            deal_mode=offer.deal_mode,
            origin="negotiation",
            origin_ref=f"offer:{offer.pk}",
        )
        contract_services.update_draft(
            contract,
            actor=actor,
            data={
                "payment_terms": offer.payment_terms,
                "royalty_rate": offer.royalty_rate,
                "duration_months": offer.duration_months,
                "territory": offer.territory,
                "exclusivity": offer.exclusivity,
                "terms": offer.note,
            },
        )
        contract_services.set_schedule(contract, actor=actor, items=schedule_from_offer(offer))
        Offer.objects.filter(pk=offer.pk).update(contract=contract)
        offer.contract = contract
        _system_message(room, actor, "accepted")
        _notify_others(room, actor, title=_("Offer accepted in %(title)s") % {"title": room.title})
        transaction.on_commit(lambda: signals.deal_concluded.send_robust(sender=Offer, pk=offer.pk))
    return offer


def schedule_from_offer(offer: Offer) -> list[dict[str, Any]]:
    """The contract's first payment schedule, read from the accepted offer's payment terms.

    Lump sum: one payment. Instalments: equal parts (the last takes the rounding). Entry fee + royalty:
    the entry fee, then royalties as a milestone without a fixed amount. Royalty or equity: a milestone.
    The parties refine dates and amounts in the draft before signing.
    """
    price = offer.price
    if offer.payment_terms == PaymentTerms.LUMP_SUM:
        return [{"description": _("Lump-sum payment"), "amount": price}]
    if offer.payment_terms == PaymentTerms.INSTALMENTS and offer.instalments:
        n = offer.instalments
        part = (price / n).quantize(Decimal("0.01"))
        amounts = [part] * (n - 1) + [price - part * (n - 1)]
        return [
            {"description": _("Instalment %(i)s of %(n)s") % {"i": i, "n": n}, "amount": amount}
            for i, amount in enumerate(amounts, start=1)
        ]
    items: list[dict[str, Any]] = []
    if offer.payment_terms == PaymentTerms.ENTRY_FEE_ROYALTY and offer.entry_fee is not None:
        items.append({"description": _("Entry fee"), "amount": min(offer.entry_fee, price)})
    if offer.royalty_rate is not None:
        items.append(
            {"description": _("Royalties of %(rate)s per cent on sales") % {"rate": offer.royalty_rate}}
        )
    if offer.payment_terms == PaymentTerms.EQUITY and offer.equity_share is not None:
        items.append(
            {
                "description": _("Technology contributed for %(share)s per cent of the equity")
                % {"share": offer.equity_share}
            }
        )
    return items


def decline_offer(offer: Offer, *, actor: Any, reason: str = "") -> Offer:
    """The other side declines the open offer; negotiation continues."""
    _answer_check(offer, actor)
    with transaction.atomic():
        transition(
            offer,
            OfferStatus.DECLINED,
            actor=actor,
            action="deals.offer.declined",
            message=reason,
            changes={"answered_by": actor, "answered_at": timezone.now()},
        )
        _system_message(offer.room, actor, "declined", reason=reason[:500])
        _notify_others(
            offer.room, actor, title=_("Offer declined in %(title)s") % {"title": offer.room.title}
        )
    return offer


def withdraw_offer(offer: Offer, *, actor: Any) -> Offer:
    """The side that made an open offer takes it back."""
    check_withdraw_offer(actor, offer)
    transition(offer, OfferStatus.WITHDRAWN, actor=actor, action="deals.offer.withdrawn")
    return offer


# ---- brokers, disputes, closing --------------------------------------------------------------


def invite_broker(room: Room, *, actor: Any, broker: Any) -> BrokerInvitation:
    """Invite a technology manager (a user of a service institution) into the room."""
    check_party(actor, room, _("Only the seller or the buyer invites a broker."))
    org = getattr(broker, "organization", None)
    if org is None or org.kind != OrgKind.SERVICE or not broker.is_active:
        raise ValidationError({"broker": _("Brokers are members of a service institution.")})
    if org.pk in (room.seller_id, room.buyer_id):
        raise ValidationError({"broker": _("This user already takes part as one of the sides.")})
    registry.refuse_if_vetoed("deals.invite_broker", room=room, broker=broker)
    try:
        with transaction.atomic():
            inv = BrokerInvitation.objects.create(room=room, broker=broker, invited_by=actor)
            audit.record(room, "deals.room.broker_invited", actor=actor, data={"broker": broker.pk})
            _system_message(room, actor, "broker", name=broker.display_name)
    except IntegrityError:
        raise ValidationError({"broker": _("This broker is already in the room.")}) from None
    notifications.notify(
        broker,
        kind="deal",
        title=_("You are invited to broker: %(title)s") % {"title": room.title},
        link=reverse("deals:room", args=[room.pk]),
    )
    return inv


def raise_dispute(room: Room, *, actor: Any, reason: str) -> Dispute:
    """A participant calls in the platform; reviewers can read the room while the dispute is open."""
    check_participant(actor, room)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Describe what is disputed.")})
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(room=room, raised_by=actor, reason=reason[:5000])
            audit.record(room, "deals.room.dispute_raised", actor=actor, message=reason[:500])
            _system_message(room, actor, "dispute")
    except IntegrityError:
        raise ValidationError({"reason": _("A dispute is already open in this room.")}) from None
    from techbridge.accounts.models import User
    from techbridge.core.roles import STAFF_ROLES

    for reviewer in User.objects.filter(role__in=STAFF_ROLES, is_active=True):
        notifications.notify(
            reviewer,
            kind="deal_dispute",
            title=_("Dispute in negotiation %(title)s") % {"title": room.title},
            body=reason[:500],
            link=reverse("deals:room", args=[room.pk]),
        )
    return dispute


def resolve_dispute(dispute: Dispute, *, actor: Any, resolution: str) -> Dispute:
    """A reviewer closes a dispute with a resolution the participants read."""
    check_resolve(actor)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Write the resolution.")})
    with transaction.atomic():
        try:
            transition(
                dispute,
                DisputeStatus.RESOLVED,
                actor=actor,
                action="deals.dispute.resolved",
                message=resolution[:500],
                changes={"resolution": resolution, "resolved_by": actor, "resolved_at": timezone.now()},
            )
        except TransitionError:
            raise TransitionError(_("This dispute is already resolved.")) from None
        _system_message(dispute.room, actor, "resolved", text=resolution[:500])
        _notify_others(
            dispute.room, actor, title=_("Dispute resolved in %(title)s") % {"title": dispute.room.title}
        )
    return dispute


def reopen_room(room: Room, *, actor: Any, reason: str = "") -> None:
    """Either side takes an agreed negotiation up again (e.g. the contract fell through)."""
    check_party(actor, room, _("Only the seller or the buyer can reopen the negotiation."))
    if room.status != RoomStatus.AGREED:
        raise TransitionError(_("Only an agreed negotiation can be reopened."))
    try:
        with transaction.atomic():
            transition(room, RoomStatus.OPEN, actor=actor, action="deals.room.reopened", message=reason)
            _system_message(room, actor, "reopened", reason=reason[:500])
            _notify_others(room, actor, title=_("Negotiation reopened: %(title)s") % {"title": room.title})
    except IntegrityError:
        raise TransitionError(_("Another negotiation about this subject is already open.")) from None


def close_room(room: Room, *, actor: Any, reason: str = "") -> None:
    """Either side ends the negotiation without a deal."""
    check_party(actor, room, _("Only the seller or the buyer can close the negotiation."))
    with transaction.atomic():
        transition_many(
            Offer.objects.filter(room=room, status=OfferStatus.OPEN),
            OfferStatus.WITHDRAWN,
            actor=actor,
            action="deals.offer.withdrawn",
            message=_("The negotiation was closed."),
        )
        transition(room, RoomStatus.CLOSED, actor=actor, action="deals.room.closed", message=reason)
        _system_message(room, actor, "closed", reason=reason[:500])
        _notify_others(room, actor, title=_("Negotiation closed: %(title)s") % {"title": room.title})
