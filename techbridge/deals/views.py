"""Portal and console pages of negotiation rooms. Thin: ``permissions`` says who may read a room (else
404) and act in it (else 403, checked before the form), forms validate, services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from techbridge.achievements.permissions import achievement_for
from techbridge.core.errors import message_of
from techbridge.core.permissions import role_required
from techbridge.core.workflow import TransitionError
from techbridge.demands.permissions import demand_for
from techbridge.lib.numbers import digits
from techbridge.mining.permissions import package_for
from techbridge.taxonomy.models import DealMode

from . import permissions, services
from .choices import DisputeStatus, OfferStatus, RoomOrigin
from .forms import InviteBrokerForm, MessageForm, OfferForm, ReasonForm
from .models import Message, Offer, Room
from .queries import disputed_rooms, rooms_for


def _room_for(request: HttpRequest, pk: int) -> Room:
    return permissions.room_for(request.user, pk)


@role_required()
def room_list(request: HttpRequest) -> HttpResponse:
    rooms = list(rooms_for(request.user).order_by("-updated_at")[:200])
    return render(request, "deals/portal/list.html", {"rooms": rooms})


@require_POST
@role_required()
def open_room_view(request: HttpRequest) -> HttpResponse:
    """Open a room from a listing or a match result (POST ``achievement``/``demand``/``package`` ids)."""
    permissions.check_trade(request.user)

    def pick(look_up: Any, key: str) -> Any:
        # The subject as the user may see it: someone else's draft does not exist (404).
        value = request.POST.get(key) or ""
        return look_up(request.user, int(value)) if digits(value) else None

    achievement = pick(achievement_for, "achievement")
    demand = pick(demand_for, "demand")
    package = pick(package_for, "package")
    origin = request.POST.get("origin") or RoomOrigin.LISTING
    if origin not in (RoomOrigin.LISTING, RoomOrigin.MATCH):
        origin = RoomOrigin.LISTING
    try:
        room = services.open_room(
            actor=request.user, achievement=achievement, demand=demand, package=package, origin=origin
        )
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
        subject = achievement or demand
        if subject is not None:
            return redirect(f"{subject._meta.app_label}:detail", subject.pk)
        return redirect("deals:list")
    return redirect("deals:room", room.pk)


@role_required()
def room_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    side = permissions.side_of(request.user, room)
    offers = list(room.offers.select_related("made_by", "answered_by", "contract"))
    modes = {m.code: m.name for m in DealMode.objects.all()}
    for offer in offers:
        offer.deal_mode_name = modes.get(offer.deal_mode, offer.deal_mode)  # type: ignore[attr-defined]
    open_offer = next((o for o in offers if o.status == OfferStatus.OPEN), None)
    last = offers[-1] if offers else None
    initial = {}
    if last is not None:
        initial = {
            f: getattr(last, f)
            for f in (
                "price",
                "payment_terms",
                "entry_fee",
                "royalty_rate",
                "instalments",
                "equity_share",
                "duration_months",
                "territory",
                "exclusivity",
            )
        }
        initial["deal_mode"] = last.deal_mode
    context = {
        "room": room,
        "side": side,
        "is_party": side in permissions.PARTIES,
        "show_detail": permissions.can_see_confidential_detail(request.user, room),
        "broker_needs_nda": side == "broker"
        and room.achievement_id is not None
        and not permissions.broker_accepted_nda(request.user, room),
        "room_messages": room.messages.select_related("author").order_by("created_at", "id"),
        "offers": offers,
        "open_offer": open_offer,
        "can_answer": open_offer is not None and permissions.can_answer(request.user, open_offer),
        "can_withdraw_offer": open_offer is not None
        and permissions.can_withdraw_offer(request.user, open_offer),
        "brokers": room.broker_invitations.select_related("broker", "broker__organization"),
        "disputes": room.disputes.select_related("raised_by", "resolved_by"),
        "open_dispute": room.disputes.filter(status=DisputeStatus.OPEN).first(),
        "can_resolve": permissions.can_resolve(request.user),
        "message_form": MessageForm(),
        "offer_form": OfferForm(initial=initial),
        "invite_form": InviteBrokerForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "deals/portal/room.html", context)


def _act(request: HttpRequest, room: Room, func: Any, success: str) -> HttpResponse:
    """Run a move the user was allowed to make; what the input or the state refuses is a message."""
    try:
        func()
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect("deals:room", room.pk)


def _message_list(request: HttpRequest, room: Room, error: str = "") -> HttpResponse:
    context = {
        "room": room,
        "room_messages": room.messages.select_related("author").order_by("created_at", "id"),
        "message_error": error,
    }
    return render(request, "deals/partials/message_list.html", context)


@role_required()
def messages_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The message list alone, polled by the room page (htmx)."""
    return _message_list(request, _room_for(request, pk))


@require_POST
@role_required()
def message_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a message; an htmx request gets the refreshed list (with any error) instead of a redirect."""
    room = _room_for(request, pk)
    permissions.check_participant(request.user, room)
    htmx = request.headers.get("HX-Request") == "true"
    form = MessageForm(request.POST, request.FILES)
    error = ""
    if not form.is_valid():
        error = " ".join(str(e) for errs in form.errors.values() for e in errs)
    else:
        try:
            services.post_message(
                room,
                actor=request.user,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except (ValidationError, TransitionError) as exc:
            error = message_of(exc)
    if htmx:
        return _message_list(request, room, error)
    if error:
        messages.error(request, error)
    return redirect("deals:room", room.pk)


@require_POST
@role_required()
def nda_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_participant(request.user, room)
    return _act(request, room, lambda: services.accept_room_nda(room, actor=request.user), _("NDA accepted."))


@require_POST
@role_required()
def offer_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_party(request.user, room)
    form = OfferForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label if k in form.fields else k}: {' '.join(str(e) for e in v)}"
                for k, v in form.errors.items()
            ),
        )
        return redirect("deals:room", room.pk)
    return _act(
        request,
        room,
        lambda: services.make_offer(room, actor=request.user, data=form.service_data()),
        _("Offer sent."),
    )


@require_POST
@role_required()
def offer_answer_view(request: HttpRequest, pk: int, offer_pk: int, action: str) -> HttpResponse:
    room = _room_for(request, pk)
    offer = get_object_or_404(Offer, pk=offer_pk, room=room)
    offer.room = room
    if action in ("accept", "decline"):
        permissions.check_answer(request.user, offer)
    elif action == "withdraw":
        permissions.check_withdraw_offer(request.user, offer)
    if action == "accept":

        def do() -> None:
            services.accept_offer(offer, actor=request.user)

        resp = _act(request, room, do, _("Offer accepted. Complete and sign the draft contract."))
        if offer.contract_id:
            return redirect("contracts:detail", offer.contract_id)
        return resp
    if action == "decline":
        return _act(
            request,
            room,
            lambda: services.decline_offer(offer, actor=request.user, reason=request.POST.get("reason", "")),
            _("Offer declined."),
        )
    if action == "withdraw":
        return _act(
            request, room, lambda: services.withdraw_offer(offer, actor=request.user), _("Offer withdrawn.")
        )
    raise Http404


@require_POST
@role_required()
def invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_party(request.user, room)
    form = InviteBrokerForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("broker") or [_("Choose a technology manager.")]:
            messages.error(request, str(problem))
        return redirect("deals:room", room.pk)
    broker = form.cleaned_data["broker"]
    return _act(
        request,
        room,
        lambda: services.invite_broker(room, actor=request.user, broker=broker),
        _("Broker invited."),
    )


@require_POST
@role_required()
def dispute_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_participant(request.user, room)
    return _act(
        request,
        room,
        lambda: services.raise_dispute(room, actor=request.user, reason=request.POST.get("reason", "")),
        _("Dispute raised; a platform reviewer will look at this negotiation."),
    )


@require_POST
@role_required()
def resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_resolve(request.user)
    dispute = room.disputes.filter(status=DisputeStatus.OPEN).first()
    if dispute is None:
        raise Http404
    resp = _act(
        request,
        room,
        lambda: services.resolve_dispute(
            dispute, actor=request.user, resolution=request.POST.get("reason", "")
        ),
        _("Dispute resolved."),
    )
    return resp if permissions.can_read(request.user, room) else redirect("deals_console:disputes")


@require_POST
@role_required()
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_party(request.user, room)
    return _act(
        request,
        room,
        lambda: services.close_room(room, actor=request.user, reason=request.POST.get("reason", "")),
        _("Negotiation closed."),
    )


@require_POST
@role_required()
def reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    permissions.check_party(request.user, room)
    return _act(
        request,
        room,
        lambda: services.reopen_room(room, actor=request.user, reason=request.POST.get("reason", "")),
        _("Negotiation reopened."),
    )


@role_required()
def attachment_view(request: HttpRequest, pk: int, message_pk: int) -> FileResponse:
    room = _room_for(request, pk)
    msg = get_object_or_404(Message, pk=message_pk, room=room)
    if not msg.attachment:
        raise Http404
    return FileResponse(
        msg.attachment.open("rb"), as_attachment=True, filename=msg.attachment_name or "attachment"
    )


@role_required(
    permissions.can_resolve, message=_lazy("Only platform reviewers and operators handle disputes.")
)
def console_disputes(request: HttpRequest) -> HttpResponse:
    return render(request, "deals/console/disputes.html", {"rooms": list(disputed_rooms()[:200])})
