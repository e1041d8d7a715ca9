"""Analysis requests and assistance requests (维权援助): requesters, providers and staff on one page each."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import message_of
from techbridge.core.permissions import role_required, signed_in
from techbridge.core.workflow import TransitionError

from .. import permissions
from ..choices import AnalysisStatus, AssistanceStatus
from ..forms import AnswerForm, AssistanceForm, CloseForm, EvidenceForm, ReasonForm, SubmitForm
from ..permissions import ASSIST_MESSAGE
from ..services import assistance as assist
from ..services import warning as analysis
from . import apply_errors

ERRORS = (ValidationError, PermissionDenied, TransitionError)


@role_required(signed_in)
def overview(request: HttpRequest) -> HttpResponse:
    """The signed-in user's IP requests: assistance and analysis, made by or routed to their organisation."""
    user = request.user
    assistance = permissions.assistance_requests_for(user).order_by("-updated_at")
    analyses = permissions.analysis_requests_for(user).order_by("-updated_at")
    return render(
        request,
        "ipservices/portal/requests.html",
        {
            "assistance": list(assistance[:50]),
            "analyses": list(analyses[:50]),
            "may_assist": permissions.may_request_assistance(user),
            "org_id": getattr(user, "organization_id", None),
        },
    )


# ---- analysis requests --------------------------------------------------------------------------------


@role_required(signed_in)
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = permissions.analysis_for(request.user, pk)
    can_handle = permissions.can_handle_analysis(request.user, req)
    return render(
        request,
        "ipservices/portal/analysis.html",
        {
            "req": req,
            "can_handle": can_handle,
            "can_withdraw": permissions.can_withdraw_analysis(request.user, req),
            "answer_form": AnswerForm(),
            "reason_form": ReasonForm(),
            "history": audit.history(req)[:20],
            "statuses": AnalysisStatus,
        },
    )


@role_required(signed_in)
@require_POST
def analysis_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    req = permissions.analysis_for(request.user, pk)
    try:
        if action == "accept":
            analysis.accept_analysis(req, actor=request.user)
            messages.success(request, _("Request accepted."))
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Write the analysis."))
            analysis.answer_analysis(req, actor=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, _("Analysis sent."))
        elif action == "decline":
            reason_form = ReasonForm(request.POST)
            if not reason_form.is_valid():
                raise ValidationError(_("Give the requester a reason."))
            analysis.decline_analysis(req, actor=request.user, reason=reason_form.cleaned_data["reason"])
            messages.success(request, _("Request declined."))
        elif action == "withdraw":
            analysis.withdraw_analysis(req, actor=request.user)
            messages.success(request, _("Request withdrawn."))
        else:
            raise Http404
    except ERRORS as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, message_of(exc))
    return redirect("ipservices:analysis", req.pk)


# ---- assistance requests ------------------------------------------------------------------------------


@role_required(permissions.may_request_assistance, message=ASSIST_MESSAGE)
def assistance_new(request: HttpRequest) -> HttpResponse:
    form = AssistanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = assist.create_request(actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Add evidence, then submit it."))
            return redirect("ipservices:assistance", req.pk)
    return render(request, "ipservices/portal/assistance_form.html", {"form": form, "req": None})


@role_required(signed_in)
def assistance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = permissions.assistance_for(request.user, pk)
    if not permissions.can_edit_assistance(request.user, req):
        raise PermissionDenied(_("Only the applicant changes a request, and only before submitting it."))
    initial = {f: getattr(req, f) for f in ("kind", "title", "description", "patent_number", "counterparty")}
    initial["industry"] = req.industry_id
    form = AssistanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assist.update_request(req, actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Request saved."))
            return redirect("ipservices:assistance", req.pk)
    return render(request, "ipservices/portal/assistance_form.html", {"form": form, "req": req})


@role_required(signed_in)
def assistance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    req = permissions.assistance_for(user, pk)
    context: dict[str, Any] = {
        "req": req,
        "evidence": list(req.evidence.select_related("uploaded_by")),
        "is_applicant": permissions.is_applicant(user, req),
        "is_handler": permissions.is_handler(user, req),
        "can_edit": permissions.can_edit_assistance(user, req),
        "can_add_evidence": permissions.can_add_evidence(user, req),
        "can_reroute": permissions.can_reroute(user, req),
        "submit_form": SubmitForm(),
        "close_form": CloseForm(),
        "reason_form": ReasonForm(),
        "evidence_form": EvidenceForm(),
        "history": audit.history(req)[:30],
        "statuses": AssistanceStatus,
    }
    return render(request, "ipservices/portal/assistance.html", context)


@role_required(signed_in)
@require_POST
def assistance_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    req = permissions.assistance_for(user, pk)
    try:
        if action in ("submit", "reroute"):
            submit_form = SubmitForm(request.POST)
            provider = submit_form.cleaned_data["provider"] if submit_form.is_valid() else None
            if provider is None and (request.POST.get("provider") or "").strip():
                # A typed provider that is not one of the list: say so rather than "choose a provider".
                for problem in submit_form.errors.get("provider", []):
                    messages.error(request, str(problem))
                return redirect("ipservices:assistance", req.pk)
            if action == "submit":
                assist.submit_request(req, actor=user, provider=provider)
                message = _("Request submitted to %(p)s.")
            else:
                assist.reroute_request(req, actor=user, provider=provider)
                message = _("Request routed to %(p)s.")
            messages.success(request, message % {"p": getattr(provider, "organization", "")})
        elif action == "accept":
            assist.accept_request(req, actor=user)
            messages.success(
                request, _("Request accepted; the handling deadline is %(d)s.") % {"d": req.due_date}
            )
        elif action == "decline":
            reason_form = ReasonForm(request.POST)
            reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
            assist.decline_request(req, actor=user, reason=reason)
            messages.success(request, _("Request not accepted; the applicant is told why."))
        elif action == "close":
            close_form = CloseForm(request.POST)
            data = close_form.cleaned_data if close_form.is_valid() else {}
            assist.close_request(req, actor=user, outcome=data.get("outcome", ""), note=data.get("note", ""))
            messages.success(request, _("Request closed with its outcome."))
        elif action == "withdraw":
            assist.withdraw_request(req, actor=user)
            messages.success(request, _("Request withdrawn."))
        else:
            raise Http404
    except ERRORS as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, message_of(exc))
    return redirect("ipservices:assistance", req.pk)


@role_required(signed_in)
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    req = permissions.assistance_for(request.user, pk)
    if not permissions.can_add_evidence(request.user, req):
        raise PermissionDenied(_("You cannot add evidence to this request now."))
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("ipservices:assistance", req.pk)
    try:
        assist.add_evidence(
            req,
            actor=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Evidence added."))
    return redirect("ipservices:assistance", req.pk)


@role_required(signed_in)
def evidence_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """An evidence file, after the request's visibility check; never from MEDIA_URL."""
    evidence = permissions.evidence_for(request.user, pk, file_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
