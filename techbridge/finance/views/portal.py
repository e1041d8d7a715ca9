"""Portal pages of technology finance, mounted at /finance/: investors and products, financing requests
(with their matches and the NDA-gated business plan), introductions and their pipeline, "my financing"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.downloads import download_response
from techbridge.core.errors import act, message_of
from techbridge.core.permissions import role_required, signed_in
from techbridge.core.workflow import TransitionError
from techbridge.matching.hybrid import QueryError

from .. import matching, permissions, services
from ..choices import IntroStatus, InvestorStatus, RequestStatus, Side
from ..forms import AdvanceForm, InvestorForm, ProductForm, RequestForm
from ..models import FinancingRequest, Introduction, Investor, Product

PER_PAGE = 20
REFUSALS = (ValidationError, TransitionError, QueryError)


def home(request: HttpRequest) -> HttpResponse:
    """Qualified investors and their products (public), and what the visitor can do next."""
    qs = (
        permissions.visible_investors(request.user)
        .filter(status=InvestorStatus.QUALIFIED)
        .select_related("organization")
        .prefetch_related("fields", Prefetch("products", queryset=Product.objects.filter(is_active=True)))
        .order_by("name", "pk")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/portal/home.html",
        {
            "page": page,
            "can_post": permissions.can_post_request(request.user),
            "can_register": permissions.can_create_investor(request.user),
            "is_investor": permissions.is_qualified_investor(request.user),
        },
    )


def investor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inv = permissions.investor_for(request.user, pk)
    can_manage = permissions.can_manage_investor(request.user, inv)
    return render(
        request,
        "finance/portal/investor.html",
        {
            "investor": inv,
            "products": list(inv.products.all() if can_manage else inv.products.filter(is_active=True)),
            "fields": list(inv.fields.all()),
            "can_manage": can_manage,
            "product_form": ProductForm() if can_manage else None,
            "history": audit.history_rows(inv, limit=20) if can_manage else [],
        },
    )


@role_required(
    permissions.can_create_investor,
    message=_("Only members of an approved investor, service institution or department register investors."),
)
def investor_create(request: HttpRequest) -> HttpResponse:
    form = InvestorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inv = services.create_investor(
                actor=request.user, data=form.data_for_service(), fields=form.cleaned_data["fields_"]
            )
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Investor registered; the platform will qualify it."))
            return redirect("finance:investor", inv.pk)
    return render(request, "finance/portal/form.html", {"form": form, "title": _("Register an investor")})


def product_create(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    inv = permissions.investor_for(request.user, pk)
    permissions.check_manage_investor(request.user, inv)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_product(inv, actor=request.user, data=form.data_for_service())
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Product added."))
            return redirect("finance:investor", inv.pk)
    return render(
        request,
        "finance/portal/form.html",
        {"form": form, "title": _("Add a financial product"), "investor": inv},
    )


@role_required(
    permissions.is_qualified_investor,
    message=_("Only the people of a qualified investor see matching requests."),
)
def investor_matches(request: HttpRequest, pk: int) -> HttpResponse:
    inv = permissions.investor_for(request.user, pk)
    permissions.check_manage_investor(request.user, inv)
    if inv.status != InvestorStatus.QUALIFIED:
        permissions.deny(_("Only a qualified investor is matched."))
    matches = matching.requests_for(inv, k=20)
    introduced = set(Introduction.objects.filter(investor=inv).values_list("request_id", flat=True))
    return render(
        request,
        "finance/portal/investor_matches.html",
        {"investor": inv, "matches": matches, "introduced": introduced},
    )


@role_required(signed_in)
def request_list(request: HttpRequest) -> HttpResponse:
    qs = (
        permissions.visible_requests(request.user)
        .select_related("organization")
        .prefetch_related("fields")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/portal/requests.html",
        {"page": page, "can_post": permissions.can_post_request(request.user)},
    )


@role_required(
    permissions.can_post_request,
    message=_("Only members of an approved enterprise, university or institute post financing requests."),
)
def request_create(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.create_request(
                actor=request.user,
                data=form.data_for_service(),
                fields=form.cleaned_data["fields_"],
                business_plan=form.cleaned_data.get("business_plan"),
                valuation_report=form.cleaned_data.get("valuation_report"),
            )
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Financing request posted. Matched investors are listed below."))
            return redirect("finance:request", req.pk)
    return render(
        request,
        "finance/portal/form.html",
        {"form": form, "title": _("Post a financing request"), "multipart": True},
    )


def _request_or_login(request: HttpRequest, pk: int) -> FinancingRequest | HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return permissions.request_for(request.user, pk)


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request_or_login(request, pk)
    if isinstance(req, HttpResponse):
        return req
    user = request.user
    owner = permissions.can_edit_request(user, req)
    intros = list(
        permissions.visible_introductions(user)
        .filter(request=req)
        .select_related("investor", "product")
        .order_by("-updated_at")
    )
    matches: list[Any] = []
    error = ""
    if owner and req.status == RequestStatus.OPEN:
        try:
            matches = matching.investors_for(req, k=10)
        except QueryError as exc:
            error = exc.message
    mine = permissions.qualified_investors_of(user).first()
    return render(
        request,
        "finance/portal/request.html",
        {
            "req": req,
            "fields": list(req.fields.all()),
            "owner": owner,
            "matches": matches,
            "match_error": error,
            "introduced": {i.investor_id for i in intros},
            "introductions": intros,
            "can_read_plan": permissions.can_read_plan(user, req),
            "can_accept_nda": permissions.can_accept_nda(user, req)
            and permissions.nda_investor(user, req) is None,
            "my_investor": mine,
            "my_introduction": next((i for i in intros if mine and i.investor_id == mine.pk), None),
            "history": audit.history_rows(req, limit=20) if owner else [],
        },
    )


def request_plan(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request_or_login(request, pk)
    if isinstance(req, HttpResponse):
        return req
    permissions.check_read_plan(request.user, req)
    if not req.business_plan:
        from django.http import Http404

        raise Http404
    with req.business_plan.open("rb") as fh:
        content = fh.read()
    name = (req.business_plan.name or "").rsplit("/", 1)[-1]
    return download_response(content, name, content_type="application/octet-stream", fallback="business-plan")


@require_POST
def request_nda(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request_or_login(request, pk)
    if isinstance(req, HttpResponse):
        return req
    return act(
        request,
        lambda: services.accept_nda(req, actor=request.user),
        _("Confidentiality agreement accepted: the business plan is open to your investor."),
        "finance:request",
        req.pk,
    )


@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request_or_login(request, pk)
    if isinstance(req, HttpResponse):
        return req
    permissions.check_edit_request(request.user, req)
    return act(
        request,
        lambda: services.withdraw_request(req, actor=request.user),
        _("Financing request withdrawn."),
        "finance:request",
        req.pk,
    )


@require_POST
def request_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    """Either side asks for an introduction: the enterprise names an investor, an investor's person
    asks for their own qualified investor."""
    req = _request_or_login(request, pk)
    if isinstance(req, HttpResponse):
        return req
    user = request.user
    if permissions.can_edit_request(user, req):
        from techbridge.lib.numbers import whole_number

        inv_pk = whole_number(request.POST.get("investor"), 1)
        investor = (
            Investor.objects.filter(pk=inv_pk, status=InvestorStatus.QUALIFIED).first() if inv_pk else None
        )
        if investor is None:
            messages.error(request, _("Choose one of the matched investors."))
            return redirect("finance:request", req.pk)
        product_pk = whole_number(request.POST.get("product"), 1)
        product = Product.objects.filter(pk=product_pk, investor=investor).first() if product_pk else None
    else:
        investor = permissions.qualified_investors_of(user).first()
        if investor is None:
            permissions.deny(
                _("Only the requesting enterprise or the investor's own people ask for an introduction.")
            )
        product = None
    return act(
        request,
        lambda: services.propose_introduction(req, investor, actor=user, product=product),
        _("Introduction asked: the other side is asked to consent."),
        "finance:request",
        req.pk,
    )


def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    intro = permissions.introduction_for(request.user, pk)
    side = permissions.side_of(request.user, intro)
    return render(
        request,
        "finance/portal/introduction.html",
        {
            "intro": intro,
            "side": side,
            "can_consent": side is not None
            and side != intro.proposed_by
            and intro.status == IntroStatus.PROPOSED,
            "can_advance": side is not None
            and intro.status
            not in (IntroStatus.PROPOSED, IntroStatus.INVESTED, IntroStatus.LENT, IntroStatus.DECLINED),
            "is_investor_side": side == Side.INVESTOR,
            "form": AdvanceForm(),
            "history": audit.history_rows(intro, limit=30),
        },
    )


@require_POST
def introduction_consent(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    intro = permissions.introduction_for(request.user, pk)
    permissions.check_side(request.user, intro)
    return act(
        request,
        lambda: services.consent(intro, actor=request.user),
        _("You consented: the two sides are introduced."),
        "finance:introduction",
        intro.pk,
        refusals=REFUSALS,
    )


@require_POST
def introduction_advance(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    intro = permissions.introduction_for(request.user, pk)
    permissions.check_side(request.user, intro)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance:introduction", intro.pk)
    d = form.cleaned_data
    return act(
        request,
        lambda: services.advance(
            intro, d["to"], actor=request.user, amount=d.get("amount"), note=d.get("note") or ""
        ),
        _("Pipeline updated."),
        "finance:introduction",
        intro.pk,
        refusals=REFUSALS,
    )


@role_required(signed_in)
def mine(request: HttpRequest) -> HttpResponse:
    """The visitor's organisation's requests, investor profiles and introductions."""
    from django.db.models import Q

    user: Any = request.user
    org: Any = getattr(user, "organization_id", None)
    member = permissions.in_org(user, org)
    requests = (
        list(FinancingRequest.objects.filter(organization_id=org).order_by("-created_at")[:50])
        if member
        else []
    )
    investors = list(Investor.objects.filter(organization_id=org).order_by("name")[:20]) if member else []
    intros = (
        list(
            Introduction.objects.filter(Q(request__organization_id=org) | Q(investor__organization_id=org))
            .select_related("request", "investor")
            .order_by("-updated_at")[:50]
        )
        if member
        else []
    )
    return render(
        request,
        "finance/portal/mine.html",
        {"requests": requests, "investors": investors, "introductions": intros},
    )
