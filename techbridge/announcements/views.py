"""Pages of deal announcements: the public notices (公示中 / 已公示 / 成交公告), a notice with its
objection form, the certificate verification page, and the console's objections queue and revocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit, documents
from techbridge.core.client import client_address
from techbridge.core.errors import act
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import console_required, hide

from . import permissions, queries, services
from .choices import ObjectionStatus
from .forms import ConsentForm, DecisionForm, ObjectionForm, RevokeForm, VerifyForm
from .models import Certificate
from .verification import verify as check_code

PER_PAGE = 20


# ---- portal -----------------------------------------------------------------------------------------


def announcement_list(request: HttpRequest, tab: str = "open") -> HttpResponse:
    page = Paginator(queries.announcements(tab), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "announcements/portal/list.html", {"page": page, "tab": tab})


def published_deals(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.published_deals(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "announcements/portal/deals.html", {"page": page, "tab": "deals"})


def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ann = permissions.announcement_for(request.user, pk)
    user = request.user
    objections = list(ann.objections.all()) if permissions.can_read_objections(user, ann) else []
    mine = list(ann.objections.filter(filed_by=user)) if user.is_authenticated and not objections else []
    return render(
        request,
        "announcements/portal/detail.html",
        {
            "ann": ann,
            "objections": objections,
            "mine": mine,
            "pending": ann.objections.filter(status=ObjectionStatus.PENDING).count(),
            "can_object": permissions.can_file_objection(user, ann),
            "is_party": permissions.is_party(user, ann),
            "certificate": Certificate.objects.filter(announcement=ann).first(),
            "history": audit.history_rows(ann),
        },
    )


@login_required
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    ann = permissions.announcement_for(request.user, pk)
    permissions.check_file_objection(request.user, ann)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.file_objection(
                    ann,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data.get("evidence"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your objection was filed. The parties were told; the platform will decide on it."),
                )
                return redirect("announcements:detail", ann.pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "announcements/portal/object.html", {"ann": ann, "form": form})


def objection_evidence(request: HttpRequest, pk: int) -> FileResponse:
    obj = permissions.objection_for(request.user, pk)
    if not obj.evidence:
        hide()
    response = FileResponse(obj.evidence.open("rb"), as_attachment=True, filename=obj.evidence_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def publication_consent(request: HttpRequest, pk: int) -> HttpResponse:
    from techbridge.contracts.permissions import contract_for

    contract = contract_for(request.user, pk)
    permissions.check_publication(request.user, contract)
    form = ConsentForm(request.POST)
    form.is_valid()
    consent = bool(form.cleaned_data.get("consent"))
    return act(
        request,
        lambda: services.set_publication_consent(
            contract,
            actor=request.user,
            consent=consent,
            show_amount=bool(form.cleaned_data.get("show_amount")),
        ),
        _("Your consent to announce this deal was recorded.")
        if consent
        else _("Your consent was withdrawn."),
        "contracts:detail",
        contract.pk,
    )


# ---- certificates -------------------------------------------------------------------------------------


def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("certificates:verify-code", "".join(form.cleaned_data["code"].split()))
    return render(request, "announcements/portal/verify.html", {"form": form, "verdict": None})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    verdict = check_code(code, client_address(request))
    status = 200 if verdict.certificate else (429 if verdict.throttled else 404)
    return render(
        request,
        "announcements/portal/verify.html",
        {"form": VerifyForm(initial={"code": code[:40]}), "verdict": verdict, "cert": verdict.certificate},
        status=status,
    )


def certificate_pdf(request: HttpRequest, code: str) -> HttpResponseBase:
    """The certificate's PDF, to whoever holds its code (made once, in the background)."""
    verdict = check_code(code, client_address(request))
    if verdict.certificate is None:
        return render(
            request,
            "announcements/portal/verify.html",
            {"form": VerifyForm(initial={"code": code[:40]}), "verdict": verdict},
            status=429 if verdict.throttled else 404,
        )
    return documents.serve(request, verdict.certificate, services.CERTIFICATE_DOCUMENT)


# ---- console ----------------------------------------------------------------------------------------


@console_required
def console_home(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ObjectionStatus.PENDING)
    if status not in ObjectionStatus.values:
        status = ""
    page = Paginator(queries.objection_queue(status), 50).get_page(request.GET.get("page"))
    certificates = Certificate.objects.select_related("announcement").order_by("-issued_at", "-pk")[:20]
    return render(
        request,
        "announcements/console/home.html",
        {
            "page": page,
            "status": status,
            "statuses": ObjectionStatus.choices,
            "certificates": certificates,
            "can_revoke": permissions.can_revoke(request.user),
            "revoke_form": RevokeForm(),
        },
    )


@console_required
def console_objection(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.objection_for(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        permissions.check_resolve(request.user)
        if form.is_valid():
            try:
                services.resolve_objection(
                    obj,
                    actor=request.user,
                    upheld=form.cleaned_data["decision"] == "uphold",
                    resolution=form.cleaned_data["resolution"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The decision was recorded and the parties were told."))
                return redirect("announcements_console:objection", obj.pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "announcements/console/objection.html",
        {
            "obj": obj,
            "ann": obj.announcement,
            "form": form,
            "can_resolve": permissions.can_resolve(request.user),
            "history": audit.history_rows(obj),
        },
    )


@console_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = permissions.certificate_for_console(request.user, pk)
    permissions.check_revoke(request.user)
    form = RevokeForm(request.POST)
    reason = form.data.get("reason", "")
    return act(
        request,
        lambda: services.revoke_certificate(cert, actor=request.user, reason=str(reason)[:2000]),
        _("The certificate was revoked; its verification page says so."),
        "announcements_console:home",
    )
