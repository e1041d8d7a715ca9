"""Portal and console pages of negotiation rooms. Thin: forms validate, services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.achievements.models import Achievement
from techbridge.core.errors import message_of
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import TransitionError
from techbridge.demands.models import Demand
from techbridge.mining.models import AchievementPackage
from techbridge.taxonomy.models import DealMode

from . import services
from .choices import DisputeStatus, OfferStatus, RoomOrigin
from .forms import InviteBrokerForm, MessageForm, OfferForm, ReasonForm
from .models import Message, Offer, Room
from .queries import disputed_rooms, rooms_for


def _room_for(request: HttpRequest, pk: int) -> Room:
    room = get_object_or_404(
        Room.objects.select_related("seller", "buyer", "achievement", "demand", "package"), pk=pk
    )
    if not services.can_read(request.user, room):
        raise Http404
    return room


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    rooms = list(rooms_for(request.user).order_by("-updated_at")[:200])
    return render(request, "deals/portal/list.html", {"rooms": rooms})


@login_required
@require_POST
def open_room_view(request: HttpRequest) -> HttpResponse:
    """Open a room from a listing or a match result (POST ``achievement``/``demand``/``package`` ids)."""

    def pick(model: Any, key: str) -> Any:
        value = request.POST.get(key) or ""
        return get_object_or_404(model, pk=int(value)) if value.isdigit() else None

    achievement = pick(Achievement, "achievement")
    demand = pick(Demand, "demand")
    package = pick(AchievementPackage, "package")
    origin = request.POST.get("origin") or RoomOrigin.LISTING
    if origin not in (RoomOrigin.LISTING, RoomOrigin.MATCH):
        origin = RoomOrigin.LISTING
    try:
        room = services.open_room(
            actor=request.user, achievement=achievement, demand=demand, package=package, origin=origin
        )
    except (ValidationError, PermissionDenied, TransitionError) as exc:
        messages.error(request, message_of(exc))
        subject = achievement or demand
        if subject is not None:
            return redirect(f"{subject._meta.app_label}:detail", subject.pk)
        return redirect("deals:list")
    return redirect("deals:room", room.pk)


@login_required
def room_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    side = services.side_of(request.user, room)
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
        "is_party": side in ("seller", "buyer"),
        "show_detail": room.nda_complete
        and side in ("seller", "buyer", "broker")
        and room.achievement is not None,
        "room_messages": room.messages.select_related("author").order_by("created_at", "id"),
        "offers": offers,
        "open_offer": open_offer,
        "can_answer": open_offer is not None and side in ("seller", "buyer") and side != open_offer.side,
        "brokers": room.broker_invitations.select_related("broker", "broker__organization"),
        "disputes": room.disputes.select_related("raised_by", "resolved_by"),
        "open_dispute": room.disputes.filter(status=DisputeStatus.OPEN).first(),
        "is_reviewer": is_staff_reviewer(request.user),
        "message_form": MessageForm(),
        "offer_form": OfferForm(initial=initial),
        "invite_form": InviteBrokerForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "deals/portal/room.html", context)


def _act(request: HttpRequest, room: Room, func: Any, success: str) -> HttpResponse:
    try:
        func()
    except (ValidationError, PermissionDenied, TransitionError) as exc:
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


@login_required
def messages_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The message list alone, polled by the room page (htmx)."""
    return _message_list(request, _room_for(request, pk))


@login_required
@require_POST
def message_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a message; an htmx request gets the refreshed list (with any error) instead of a redirect."""
    room = _room_for(request, pk)
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
        except (ValidationError, PermissionDenied, TransitionError) as exc:
            error = message_of(exc)
    if htmx:
        return _message_list(request, room, error)
    if error:
        messages.error(request, error)
    return redirect("deals:room", room.pk)


@login_required
@require_POST
def nda_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    return _act(request, room, lambda: services.accept_room_nda(room, actor=request.user), _("NDA accepted."))


@login_required
@require_POST
def offer_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
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


@login_required
@require_POST
def offer_answer_view(request: HttpRequest, pk: int, offer_pk: int, action: str) -> HttpResponse:
    room = _room_for(request, pk)
    offer = get_object_or_404(Offer, pk=offer_pk, room=room)
    offer.room = room
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


@login_required
@require_POST
def invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    form = InviteBrokerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a technology manager."))
        return redirect("deals:room", room.pk)
    broker = form.cleaned_data["broker"]
    return _act(
        request,
        room,
        lambda: services.invite_broker(room, actor=request.user, broker=broker),
        _("Broker invited."),
    )


@login_required
@require_POST
def dispute_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    return _act(
        request,
        room,
        lambda: services.raise_dispute(room, actor=request.user, reason=request.POST.get("reason", "")),
        _("Dispute raised; a platform reviewer will look at this negotiation."),
    )


@login_required
@require_POST
def resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
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
    return resp if services.can_read(request.user, room) else redirect("deals_console:disputes")


@login_required
@require_POST
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    return _act(
        request,
        room,
        lambda: services.close_room(room, actor=request.user, reason=request.POST.get("reason", "")),
        _("Negotiation closed."),
    )


@login_required
@require_POST
def reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room_for(request, pk)
    return _act(
        request,
        room,
        lambda: services.reopen_room(room, actor=request.user, reason=request.POST.get("reason", "")),
        _("Negotiation reopened."),
    )


@login_required
def attachment_view(request: HttpRequest, pk: int, message_pk: int) -> FileResponse:
    room = _room_for(request, pk)
    msg = get_object_or_404(Message, pk=message_pk, room=room)
    if not msg.attachment:
        raise Http404
    return FileResponse(
        msg.attachment.open("rb"), as_attachment=True, filename=msg.attachment_name or "attachment"
    )


@login_required
def console_disputes(request: HttpRequest) -> HttpResponse:
    if not is_staff_reviewer(request.user):
        raise PermissionDenied
    return render(request, "deals/console/disputes.html", {"rooms": list(disputed_rooms()[:200])})
