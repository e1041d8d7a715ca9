"""Portal and console pages of auctions.

The live lot page polls a small status fragment every second (htmx). An unchanged poll is answered
204 from one indexed query; a changed one renders the shared part once per lot state and language
(``live``, kept in Django's cache so it works behind any number of app servers) plus the viewer's
own parts. The countdown is drawn from the server's end time.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.contracts import permissions as contract_permissions
from techbridge.core import audit
from techbridge.core.errors import message_of
from techbridge.core.permissions import hide, role_required
from techbridge.core.workflow import TransitionError
from techbridge.deals import permissions as deal_permissions
from techbridge.lib.numbers import digits

from . import live, permissions, queries, refusals, services
from .choices import DepositStatus, LotFormat, LotStatus
from .forms import LotForm, ScreeningForm, SessionForm
from .models import AuctionSession, Lot, ProxyBid, Registration

# ---- portal --------------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """Open lots ending soonest and sessions; the events app adds upcoming roadshows (``auction.index``)."""
    return render(
        request,
        "auctions/portal/index.html",
        {
            "lots": list(queries.open_lots(request.user)[:30]),
            "sessions": list(queries.visible_sessions(request.user).order_by("-starts_at")[:20]),
            "recent": list(
                queries.visible_lots(request.user)
                .filter(status__in=[LotStatus.SOLD, LotStatus.UNSOLD])
                .order_by("-closed_at")[:10]
            ),
        },
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.session_for(request.user, pk)
    return render(
        request,
        "auctions/portal/session.html",
        {
            "session": session,
            "lots": list(
                queries.visible_lots(request.user).filter(session=session).order_by("ends_at", "id")
            ),
            "registration": queries.registration_for(request.user, session.pk),
        },
    )


@require_POST
@role_required()
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.session_for(request.user, pk)
    permissions.check_bidder(request.user)
    try:
        reg = services.register_bidder(actor=request.user, session=session)
    except TransitionError as exc:
        messages.error(request, message_of(exc))
    else:
        if reg.deposit_status == DepositStatus.REQUIRED:
            messages.success(
                request,
                _("Registered as bidder %(number)s. Pay the deposit of %(amount)s yuan to start bidding.")
                % {"number": f"{reg.number:03d}", "amount": f"{reg.deposit_amount:,.2f}"},
            )
        else:
            messages.success(
                request, _("You are registered as bidder %(number)s.") % {"number": f"{reg.number:03d}"}
            )
    return redirect(request.POST.get("next") or reverse("auctions:session", args=[pk]))


def _lot_or_404(request: HttpRequest, pk: int) -> Lot:
    return permissions.lot_for(request.user, pk)


def live_context(request: HttpRequest, lot: Lot, *, now: Any = None) -> dict[str, Any]:
    """What the status fragment and the bid panel show to this viewer.

    The shared part (price, history, countdown, status) comes from the cache (``live.shared_parts``);
    the viewer's own parts are read here.
    """
    now = now or timezone.now()
    reg = queries.registration_for(request.user, lot.session_id)
    proxy = ProxyBid.objects.filter(lot=lot, registration=reg).first() if reg else None
    my_sealed = lot.bids.filter(registration=reg).first() if reg and lot.is_sealed else None
    own = bool(getattr(request.user, "is_authenticated", False)) and services.is_own_lot(
        lot, getattr(request.user, "organization_id", None)
    )
    clock = services.dutch_price(lot, now) if lot.format == LotFormat.DUTCH else None
    is_open = lot.is_open(now)
    not_started = lot.status == LotStatus.LISTED and now < lot.starts_at
    minimum = services.minimum_bid(lot)
    shared_token = live.shared_token(live.state_of(lot), now)
    token = shared_token
    if request.user.is_authenticated:
        token += "~" + live.viewer_token(
            reg.status if reg else None,
            reg.deposit_status if reg else None,
            proxy.max_amount if proxy else None,
        )

    def build() -> dict[str, Any]:
        return {
            "lot": lot,
            "clock_price": clock,
            "minimum": minimum,
            "not_started": not_started,
            "history": queries.bid_history(lot),
            "reserve_met": lot.reserve_price is None
            or (lot.current_price is not None and lot.current_price >= lot.reserve_price),
        }

    return {
        "lot": lot,
        "now": now,
        "is_open": is_open,
        "not_started": not_started,
        "registration": reg,
        "may_bid": permissions.registration_may_bid(reg),
        "proxy": proxy,
        "my_sealed": my_sealed,
        "own_lot": own,
        "clock_price": clock,
        "minimum": minimum,
        "shared": live.for_viewer(live.shared_parts(lot, shared_token, build), reg),
        "token": token,
        "nonce": services.new_nonce(),
        "bidder_refusal": permissions.bidder_refusal(request.user) if request.user.is_authenticated else "",
    }


def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    if lot.status == LotStatus.LISTED and lot.ends_at <= timezone.now():
        services.close_lot(lot.pk)
        lot = _lot_or_404(request, pk)
    return render(request, "auctions/portal/lot.html", live_context(request, lot))


def lot_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The live fragment; 204 (nothing to swap) when the viewer's token is unchanged.

    "Unchanged" is decided from one indexed query (``live.probe``) with nothing rendered; a changed
    lot renders its shared part once per version and language (cached) and the viewer's own parts.
    """
    now = timezone.now()
    state = live.probe(request.user, pk)
    if state is None:
        hide()
    if state["status"] == LotStatus.LISTED and state["ends_at"] <= now:
        # The scheduler closes lots without visitors; a watcher at the deadline need not wait for it.
        services.close_lot(pk)
        state = live.probe(request.user, pk) or state
    token = live.token_of(state, now, request.user)
    if request.GET.get("v") == token:
        return HttpResponse(status=204)
    if state.get("reg_status") is None:
        # Anonymous, or signed in without a registration: every such viewer sees the same fragment at
        # this token, so it is rendered once per token and language and then only read from the cache.
        html = live.common_fragment(pk, token, now, lambda: _status_html(request, pk, now))
        return HttpResponse(html)
    return HttpResponse(_status_html(request, pk, now))


def _status_html(request: HttpRequest, pk: int, now: Any) -> str:
    lot = _lot_or_404(request, pk)
    ctx = live_context(request, lot, now=now)
    reg = ctx["registration"]
    if lot.format in (LotFormat.ENGLISH, LotFormat.DUTCH) and reg is not None and ctx["may_bid"]:
        # The price moved: the bid box gets the new minimum (or clock price) and loses the previous
        # answer ("accepted" would be stale), so nobody bids an amount that no longer counts.
        ctx["panel_oob"] = True
        if (
            lot.format == LotFormat.ENGLISH
            and lot.status == LotStatus.LISTED
            and lot.leader_id not in (None, reg.pk)
            and lot.bids.filter(registration=reg).exists()
        ):
            ctx["feedback_error"] = _("You have been outbid: the minimum bid is now %(minimum)s yuan.") % {
                "minimum": f"{ctx['minimum']:,.2f}"
            }
    # The status part needs no context processors (no request, user or CSRF token): only the bid box does.
    html = render_to_string("auctions/partials/lot_status.html", ctx)
    if ctx.get("panel_oob"):
        html += render_to_string("auctions/partials/bid_panel.html", ctx, request=request)
    return html


def _bid_response(request: HttpRequest, lot_pk: int, *, ok: str = "", error: str = "") -> HttpResponse:
    if request.headers.get("HX-Request"):
        lot = _lot_or_404(request, lot_pk)
        ctx = live_context(request, lot) | {"feedback_ok": ok, "feedback_error": error, "oob": True}
        return render(request, "auctions/partials/bid_response.html", ctx)
    if ok:
        messages.success(request, ok)
    if error:
        messages.error(request, error)
    return redirect("auctions:lot", pk=lot_pk)


@require_POST
@role_required()
def lot_bid(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    permissions.check_bidder(request.user)
    try:
        result = services.place_bid(
            actor=request.user,
            lot_id=lot.pk,
            amount=request.POST.get("amount"),
            nonce=request.POST.get("nonce"),
        )
    except services.BidRefused as exc:
        return _bid_response(request, pk, error=exc.message)
    if result.replayed:
        msg = _("This bid was already received (bid #%(seq)s); nothing changed.") % {"seq": result.bid.seq}
    elif lot.is_sealed:
        msg = _("Your sealed bid of %(amount)s yuan is recorded.") % {"amount": f"{result.bid.amount:,.2f}"}
    else:
        msg = _("Bid of %(amount)s yuan accepted.") % {"amount": f"{result.bid.amount:,.2f}"}
    return _bid_response(request, pk, ok=msg)


@require_POST
@role_required()
def lot_proxy(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    permissions.check_bidder(request.user)
    try:
        proxy = services.set_proxy(
            actor=request.user, lot_id=lot.pk, max_amount=request.POST.get("max_amount")
        )
    except services.BidRefused as exc:
        return _bid_response(request, pk, error=exc.message)
    return _bid_response(
        request,
        pk,
        ok=_("Proxy bidding on up to %(amount)s yuan. The platform bids for you only as much as needed.")
        % {"amount": f"{proxy.max_amount:,.2f}"},
    )


# ---- console ----------------------------------------------------------------------------------------


staff_required = role_required(permissions.can_use_console, message=permissions.CONSOLE)
operator_required = role_required(permissions.can_run_auctions, message=permissions.RUN)


@staff_required
def console_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "auctions/console/home.html",
        {
            "sessions": list(AuctionSession.objects.order_by("-starts_at")[:50]),
            "screening": list(
                Lot.objects.filter(status=LotStatus.SCREENING)
                .select_related("session", "seller")
                .order_by("created_at")
            ),
            "stuck": list(Lot.objects.exclude(handoff_error="").select_related("session")[:20]),
            "can_run": permissions.can_run_auctions(request.user),
        },
    )


def _form_page(
    request: HttpRequest, form: Any, title: str, cancel: str, extra: dict | None = None
) -> HttpResponse:
    return render(
        request,
        "auctions/console/form.html",
        {"form": form, "page_title": title, "cancel_url": cancel, **(extra or {})},
    )


@operator_required
def console_session_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    session = get_object_or_404(AuctionSession, pk=pk) if pk else None
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.save_session(actor=request.user, session=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("auctions_console:session", pk=obj.pk)
    title = _("Edit session") if session else _("New auction session")
    return _form_page(request, form, title, reverse("auctions_console:home"))


@staff_required
def console_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(AuctionSession, pk=pk)
    if request.method == "POST":
        permissions.check_run_auctions(request.user)
        try:
            if request.POST.get("action") == "publish":
                services.publish_session(actor=request.user, session=session)
                messages.success(request, _("Session published."))
            elif request.POST.get("action") == "cancel":
                services.cancel_session(actor=request.user, session=session)
                messages.success(request, _("Session cancelled."))
        except TransitionError as exc:
            messages.error(request, message_of(exc))
        return redirect("auctions_console:session", pk=pk)
    return render(
        request,
        "auctions/console/session.html",
        {
            "session": session,
            "lots": list(session.lots.select_related("seller", "winner").order_by("ends_at", "id")),
            "registrations": list(
                session.registrations.select_related("user", "organization").order_by("number")
            ),
            "can_run": permissions.can_run_auctions(request.user),
            "history": audit.history_rows(session, limit=20),
        },
    )


@require_POST
@operator_required
def console_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    reg = get_object_or_404(Registration.objects.select_related("session", "user"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "paid":
            services.confirm_deposit(
                actor=request.user, registration=reg, reference=request.POST.get("reference", "")
            )
        elif action == "refund":
            services.refund_deposit(
                actor=request.user, registration=reg, message=request.POST.get("reason", "")
            )
        elif action == "forfeit":
            services.forfeit_deposit(
                actor=request.user, registration=reg, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
        messages.success(request, _("Deposit of %(bidder)s updated.") % {"bidder": reg.label})
    except (TransitionError, ValidationError) as exc:
        messages.error(request, message_of(exc))
    return redirect("auctions_console:session", pk=reg.session_id)


@operator_required
def console_lot_form(
    request: HttpRequest, session_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    lot = get_object_or_404(Lot, pk=pk) if pk else None
    session = lot.session if lot else get_object_or_404(AuctionSession, pk=session_pk)
    form = LotForm(request.POST or None, instance=lot)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.session = session
        try:
            obj = services.save_lot(actor=request.user, lot=obj)
            if request.POST.get("and_submit"):
                services.submit_lot(actor=request.user, lot=obj)
        except (ValidationError, TransitionError) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Lot saved."))
            return redirect("auctions_console:lot", pk=obj.pk)
    title = _("Edit lot") if lot else _("New lot in %(session)s") % {"session": session.title}
    return _form_page(
        request,
        form,
        title,
        reverse("auctions_console:session", args=[session.pk]),
        {"lot_form": True, "lot": lot},
    )


@staff_required
def console_lot(request: HttpRequest, pk: int) -> HttpResponse:
    """Screening and set-up page of one lot, with the valuation helper's price suggestion."""
    lot = get_object_or_404(
        Lot.objects.select_related(
            "session", "achievement__owner", "package", "seller", "winner", "contract", "room"
        ),
        pk=pk,
    )
    form = ScreeningForm(
        request.POST or None,
        initial={
            "rights_verified": lot.rights_verified,
            "rights_in_force": lot.rights_in_force,
            "no_encumbrance": lot.no_encumbrance,
        },
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("approve", "reject"):
            permissions.check_screen_lots(request.user)
        else:
            permissions.check_run_auctions(request.user)
        try:
            if action in ("approve", "reject") and form.is_valid():
                services.screen_lot(
                    actor=request.user,
                    lot=lot,
                    approve=action == "approve",
                    rights_verified=form.cleaned_data["rights_verified"],
                    rights_in_force=form.cleaned_data["rights_in_force"],
                    no_encumbrance=form.cleaned_data["no_encumbrance"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Lot listed.") if action == "approve" else _("Lot rejected."))
            elif action == "submit":
                services.submit_lot(actor=request.user, lot=lot)
                messages.success(request, _("Lot sent to screening."))
            elif action == "withdraw":
                services.withdraw_lot(actor=request.user, lot=lot, reason=request.POST.get("reason", ""))
                messages.success(request, _("Lot withdrawn."))
            elif action == "handoff":
                services.hand_off(lot.pk)
                messages.success(request, _("Hand-off retried."))
            else:
                raise Http404
        except (TransitionError, ValidationError) as exc:
            messages.error(request, message_of(exc))
        return redirect("auctions_console:lot", pk=pk)
    return render(
        request,
        "auctions/console/lot.html",
        {
            "lot": lot,
            "form": form,
            "can_run": permissions.can_run_auctions(request.user),
            # The hand-off's records are linked only for whoever may open them (else the number alone).
            "contract_link": lot.contract is not None
            and contract_permissions.can_view(request.user, lot.contract),
            "room_link": lot.room is not None and deal_permissions.can_read(request.user, lot.room),
            "history": audit.history_rows(lot, exclude=["auctions.lot.bid_accepted"], limit=30),
            # Sealed amounts stay sealed for staff too until the lot closes.
            "bids": []
            if lot.is_sealed and not lot.is_closed
            else list(lot.bids.select_related("registration__organization").order_by("-seq")[:50]),
            **_attempts_table(request, lot),
        },
    )


ATTEMPTS_PER_PAGE = 50


def _attempts_table(request: HttpRequest, lot: Lot) -> dict[str, Any]:
    """The lot's bid attempts for disputes, filtered by reason and bidder number, 50 a page."""
    reason = request.GET.get("reason", "")
    bidder_raw = request.GET.get("bidder", "").strip()
    errors = []
    if reason and reason not in refusals.REASONS:
        errors.append(_("Unknown refusal reason."))
        reason = ""
    bidder = None
    if bidder_raw:
        if digits(bidder_raw) and 1 <= int(bidder_raw) <= refusals.MAX_BIDDER_NUMBER:
            bidder = int(bidder_raw)
        else:
            errors.append(
                _("Give a bidder number between 1 and %(max)s.") % {"max": refusals.MAX_BIDDER_NUMBER}
            )
    qs = refusals.attempts_on(lot, request.user, reason=reason, bidder=bidder)
    page = Paginator(qs, ATTEMPTS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.reason_label = refusals.reason_label(row.reason)  # type: ignore[attr-defined]
    query = {k: v for k, v in (("reason", reason), ("bidder", bidder or "")) if v}
    return {
        "attempts": page,
        "attempt_reasons": list(refusals.REASONS.items()),
        "attempt_filter": {"reason": reason, "bidder": bidder or ""},
        "attempt_query": urlencode(query),
        "attempt_errors": errors,
        "attempts_sealed": lot.is_sealed and not lot.is_closed,
    }
