"""Portal and console pages of contracts, registration and statistics. Thin: ``permissions`` says who
may read a contract (else 404) and act on it (else 403, checked before the form), services decide."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core import documents as core_documents
from techbridge.core.audit import history_rows
from techbridge.core.client import client_address
from techbridge.core.downloads import download_response, xlsx_response
from techbridge.core.errors import message_of
from techbridge.core.permissions import role_required
from techbridge.core.workflow import TransitionError
from techbridge.imports.readers import ImportFileError
from techbridge.imports.sample_files import template_filename, template_workbook
from techbridge.lib.numbers import digits
from techbridge.lib.xlsx import XLSX_CONTENT_TYPE, Sheet
from techbridge.organizations.permissions import can_manage_organization

from . import importing, permissions, queries, services
from .choices import SUB_TYPES, ContractStatus, SubType
from .clauses import DISPUTES_KEY
from .forms import (
    ClauseForm,
    ContractForm,
    ExternalContractForm,
    ImportForm,
    PartyForm,
    PaymentForm,
    RegisterForm,
    RejectForm,
    ScheduleForm,
    SignForm,
)
from .models import Clause, ClauseVersion, Contract, Instalment
from .parties import party_fields
from .rules import get_rules, rule_set_name


def _contract_for(request: HttpRequest, pk: int) -> Contract:
    return permissions.contract_for(request.user, pk)


@role_required()
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = list(queries.contracts_for(request.user).order_by("-created_at")[:200])
    return render(request, "contracts/portal/list.html", {"contracts": contracts})


def _schedule_text(contract: Contract) -> str:
    return "\n".join(
        f"{i.due_date or ''} | {i.amount if i.amount is not None else ''} | {i.description}"
        for i in contract.instalments.all()
    )


@role_required()
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk)
    side = permissions.side_of(request.user, contract)
    signatures = {s.side: s for s in contract.signatures.select_related("user")}
    paid = sum((p.amount for p in contract.payments.all()), Decimal("0"))
    amendment = Contract.objects.filter(previous=contract).first()
    context = {
        "contract": contract,
        "side": side,
        "signatures": signatures,
        "my_signature": signatures.get(side),
        "instalments": contract.instalments.all(),
        "payments": contract.payments.select_related("recorded_by"),
        "paid": paid,
        "can_edit": permissions.can_edit(request.user, contract),
        "can_sign": permissions.can_sign(request.user, contract, signatures),
        "can_cancel": permissions.can_cancel(request.user, contract),
        "can_record_payment": permissions.can_record_payment(request.user, contract),
        "can_submit": permissions.can_submit(request.user, contract),
        "can_mark_performed": permissions.can_mark_performed(request.user, contract),
        "reveal_identity": permissions.can_see_identity(request.user, contract),
        "can_register": permissions.can_register(request.user, contract)
        and contract.status == ContractStatus.SUBMITTED,
        "amendment": amendment,
        "can_amend": amendment is None and permissions.can_amend(request.user, contract),
        "history": history_rows(contract),
        "clauses": _clauses_with_versions(contract),
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
        "rules_name": rule_set_name(contract.rules_version),
        "party_problems": (
            services.missing_party_codes(contract)
            if side
            and contract.status in (ContractStatus.DRAFT, ContractStatus.SIGNED, ContractStatus.REJECTED)
            else []
        ),
        "question": (
            services.classify_contract(contract).question
            if contract.status == ContractStatus.DRAFT and not contract.sub_type
            else ""
        ),
    }
    own_org = getattr(request.user, "organization", None) if context["party_problems"] else None
    if own_org is not None:
        context["manages_own_org"] = can_manage_organization(request.user, own_org)
    return render(request, "contracts/portal/detail.html", context)


def _clauses_with_versions(contract: Contract) -> list[Clause]:
    """The clauses in order, each with its versions (newest first): two queries."""
    clauses = list(contract.clauses.select_related("edited_by"))
    by_key: dict[str, list[ClauseVersion]] = {}
    for version in contract.clause_versions.select_related("edited_by").order_by("key", "-version"):
        by_key.setdefault(version.key, []).append(version)
    for clause in clauses:
        clause.versions = by_key.get(clause.key, [])
    return clauses


@role_required()
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk)
    permissions.check_party(request.user, contract, _("Only the parties can edit this contract."))
    if not permissions.can_edit(request.user, contract):
        messages.error(request, _("A signed contract cannot be edited; create an amendment instead."))
        return redirect("contracts:detail", pk)
    side = permissions.side_of(request.user, contract)
    form = ContractForm(request.POST or None, instance=contract)
    party = PartyForm(
        request.POST or None,
        side=side,
        initial={name: getattr(contract, name) for name in party_fields(side)},
    )
    schedule = ScheduleForm(request.POST or None, initial={"lines": _schedule_text(contract)})
    if request.method == "POST" and form.is_valid() and party.is_valid() and schedule.is_valid():
        try:
            items = _parse_schedule(schedule.cleaned_data["lines"])
            fresh = Contract.objects.get(pk=pk)
            services.update_draft(fresh, actor=request.user, data={**form.cleaned_data, **party.cleaned_data})
            services.set_schedule(fresh, actor=request.user, items=items)
        except (ValidationError, TransitionError) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Contract saved. Both sides sign the saved text."))
            voided = services.voided_message(getattr(fresh, "voided_sides", []), fresh.title)
            if voided:
                messages.warning(request, voided)
            return redirect("contracts:detail", pk)
    return render(
        request,
        "contracts/portal/form.html",
        {"contract": contract, "form": form, "party": party, "schedule": schedule, "sub_types": SUB_TYPES},
    )


def _parse_schedule(text: str) -> list[dict[str, Any]]:
    items = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3:
            raise ValidationError(_("Schedule line %(n)s: write date | amount | description.") % {"n": n})
        due = None
        if parts[0]:
            try:
                due = date.fromisoformat(parts[0])
            except ValueError:
                raise ValidationError(
                    _("Schedule line %(n)s: the date must be YYYY-MM-DD.") % {"n": n}
                ) from None
        items.append({"due_date": due, "amount": parts[1] or None, "description": parts[2]})
    return items


def _post_action(
    request: HttpRequest, pk: int, func: Any, success: str, check: Any = permissions.check_party
) -> HttpResponse:
    """Who may (``check``: 403 with the reason), then the service; what the state refuses is a message."""
    contract = _contract_for(request, pk)
    check(request.user, contract)
    try:
        result = func(contract)
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
        return redirect("contracts:detail", pk)
    messages.success(request, success)
    if isinstance(result, Contract):
        return redirect("contracts:detail", result.pk)
    return redirect("contracts:detail", pk)


@require_http_methods(["GET", "POST"])
@role_required()
def sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign for my organisation: the page shows what is signed and asks to confirm and to enter the
    password again (re-authentication); the signature records the method and the client address."""
    contract = _contract_for(request, pk)
    permissions.check_party(
        request.user, contract, _("Only a member of one of the parties can sign this contract.")
    )
    signed_sides = set(contract.signatures.values_list("side", flat=True))
    if not permissions.can_sign(request.user, contract, signed_sides):
        messages.error(request, _("This contract is not open for your signature."))
        return redirect("contracts:detail", pk)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_with_password(
                contract,
                actor=request.user,
                password=form.cleaned_data["password"],
                address=client_address(request),
            )
        except (ValidationError, TransitionError, PermissionDenied) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Signed. The signature records the time and where it was made from."))
            return redirect("contracts:detail", pk)
    return render(
        request,
        "contracts/portal/sign.html",
        {"contract": contract, "form": form, "clauses": list(contract.clauses.all())},
    )


def _clause_context(contract: Contract, clause: Clause) -> dict[str, Any]:
    versions = list(
        ClauseVersion.objects.filter(contract=contract, key=clause.key)
        .select_related("edited_by")
        .order_by("-version")
    )
    clause.versions = versions
    return {"contract": contract, "clause": clause, "can_edit": True}


@require_http_methods(["GET", "POST"])
@role_required()
def clause_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Rewrite one clause of a draft (either party): the form in place (htmx) or as a page without script."""
    contract = _contract_for(request, pk)
    permissions.check_party(request.user, contract, _("Only the parties can edit this contract."))
    clause = get_object_or_404(Clause, contract=contract, key=key)
    if not permissions.can_edit(request.user, contract):
        messages.error(request, _("A signed contract cannot be edited; create an amendment instead."))
        return redirect("contracts:detail", pk)
    fragment = bool(getattr(request, "htmx", None))
    initial = {
        "text": clause.text,
        "dispute_method": contract.dispute_method,
        "dispute_venue": contract.dispute_venue,
    }
    form = ClauseForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        choice = key == DISPUTES_KEY and (
            d["dispute_method"] != contract.dispute_method or d["dispute_venue"] != contract.dispute_venue
        )
        try:
            updated = services.edit_clause(
                contract,
                actor=request.user,
                key=key,
                text=None if choice else d["text"],
                dispute_method=d["dispute_method"] if choice else None,
                dispute_venue=d["dispute_venue"] if choice else None,
            )
        except (ValidationError, TransitionError) as exc:
            error = message_of(exc)
        else:
            voided = services.voided_message(getattr(contract, "voided_sides", []), contract.title)
            saved = _("Clause saved as version %(n)s.") % {"n": updated.version}
            if fragment:
                context = _clause_context(contract, updated)
                return render(
                    request, "contracts/partials/clause.html", {**context, "saved": saved, "voided": voided}
                )
            messages.success(request, saved)
            if voided:
                messages.warning(request, voided)
            return redirect(f"{reverse('contracts:detail', args=[pk])}#clause-{key}")
    elif request.method == "POST":
        error = " ".join(str(e) for errs in form.errors.values() for e in errs)
    context = {
        "contract": contract,
        "clause": clause,
        "form": form,
        "error": error,
        "is_disputes": key == DISPUTES_KEY,
        "signed_sides": list(contract.signatures.values_list("side", flat=True)),
    }
    if fragment:
        return render(request, "contracts/partials/clause_form.html", context)
    return render(request, "contracts/portal/clause.html", context)


@require_POST
@role_required()
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda c: services.submit_for_registration(c, actor=request.user),
        _("Submitted for registration."),
        check=permissions.check_seller,
    )


@require_POST
@role_required()
def performed_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda c: services.mark_performed(c, actor=request.user, note=request.POST.get("note", "")),
        _("The contract is recorded as performed."),
    )


@require_POST
@role_required()
def amend_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk, lambda c: services.amend_contract(c, actor=request.user), _("Amendment drafted.")
    )


@require_POST
@role_required()
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk, lambda c: services.cancel_draft(c, actor=request.user), _("Draft cancelled.")
    )


@require_POST
@role_required()
def milestone_view(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    contract = _contract_for(request, pk)
    permissions.check_party(request.user, contract)
    item = get_object_or_404(Instalment, pk=item_pk, contract=contract)
    item.contract = contract
    return _post_action(
        request, pk, lambda c: services.complete_milestone(item, actor=request.user), _("Milestone reached.")
    )


@require_POST
@role_required()
def payment_view(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.check_party(request.user, _contract_for(request, pk))
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("contracts:detail", pk)
    d = form.cleaned_data
    return _post_action(
        request,
        pk,
        lambda c: services.record_payment(
            c, actor=request.user, paid_on=d["paid_on"], amount=d["amount"], note=d["note"]
        ),
        _("Payment recorded."),
    )


@require_http_methods(["GET", "POST"])
@role_required()
def contract_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored PDF of this version of the contract, typeset once in the background (issue 22, point 6)."""
    contract = _contract_for(request, pk)
    return core_documents.serve(request, contract, "contracts.contract")


@require_http_methods(["GET", "POST"])
@role_required()
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    contract = _contract_for(request, pk)
    if not contract.is_registered:
        raise Http404
    return core_documents.serve(request, contract, "contracts.certificate")


@role_required(permissions.can_enter_external, message=permissions.ENTER)
def external_new(request: HttpRequest) -> HttpResponse:
    """Enter one contract made outside the platform: seller members for their organisation; registry
    officers for any seller, an individual inventor or a seller abroad included (the paper application)."""
    officer = permissions.is_registry_officer(request.user)
    org = getattr(request.user, "organization", None)
    form = ExternalContractForm(request.POST or None, officer=officer, organization=org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["seller"], data["buyer"] = form.seller, form.buyer
        data.pop("buyer_credit_code", None)
        data.pop("seller_credit_code", None)
        try:
            contract = services.enter_external_contract(
                actor=request.user, data=data, signed_on=data["signed_on"]
            )
        except (ValidationError, TransitionError) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Contract entered. Submit it for registration when ready."))
            return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/portal/external.html", {"form": form})


@role_required(permissions.can_import, message=permissions.IMPORT)
def import_view(request: HttpRequest) -> HttpResponse:
    """Import outside contracts from Excel/CSV; bad rows are listed with their line numbers."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            messages.error(request, _("Upload an .xlsx or .csv file."))
        else:
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    report = importing.import_contracts(
                        actor=request.user, path=tmp.name, file_name=upload.name
                    )
                except ImportFileError as exc:
                    messages.error(request, str(exc))
    return render(request, "contracts/portal/import.html", {"form": form, "report": report})


@role_required(permissions.can_import, message=permissions.IMPORT)
def import_template(request: HttpRequest) -> HttpResponse:
    """The contracts kind's Excel template, the same the import console offers."""
    kind = importing.ContractImporter.kind
    return download_response(
        template_workbook(kind),
        template_filename(kind),
        content_type=XLSX_CONTENT_TYPE,
        fallback="contracts-template.xlsx",
    )


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if digits(value) and 2000 <= int(value) <= 2100 else None


def public_stats(request: HttpRequest) -> HttpResponse:
    """Aggregate figures only: no contract, party or amount of a single deal is shown."""
    year = _year(request)
    stats = queries.cached_stats(year, tuple(queries.DIMENSIONS))
    return render(
        request, "contracts/portal/stats.html", {**stats, "year": year, "min_cell": queries.PUBLIC_MIN_CELL}
    )


# ---- console ---------------------------------------------------------------------------------


registry_required = role_required(permissions.is_registry_officer, message=permissions.REGISTRY)
statistics_required = role_required(permissions.can_see_statistics, message=permissions.STATISTICS)


@registry_required
def console_queue(request: HttpRequest) -> HttpResponse:
    contracts = list(queries.registry_queue()[:300])
    decided = list(
        queries.visible_to_registry(request.user)
        .filter(status__in=[ContractStatus.REGISTERED, ContractStatus.PERFORMED, ContractStatus.REJECTED])
        .order_by("-updated_at")[:50]
    )
    return render(request, "contracts/console/queue.html", {"contracts": contracts, "decided": decided})


@registry_required
def console_review(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(queries.visible_to_registry(request.user), pk=pk)
    if request.method == "POST":
        permissions.check_register(request.user, contract)
    rules = get_rules()
    suggested = services.classify_contract(contract)
    checks = rules.checks(contract)
    failed = [c.message for c in checks if c.blocking and not c.passed]
    register_form = RegisterForm(
        request.POST if request.POST.get("action") == "register" else None,
        initial={
            "contract_type": suggested.contract_type,
            "sub_type": suggested.sub_type,
            "subject_legal_status": contract.subject_legal_status,
            "carrier_amount": contract.carrier_amount,
            "technology_amount": rules.certify_amount(contract),
        },
    )
    # The failed checks are the reasons a registry gives for 未予登记; the officer edits them.
    reject_form = RejectForm(
        request.POST if request.POST.get("action") == "reject" else None,
        initial={"reason": "\n".join(failed)},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "register" and register_form.is_valid():
                d = register_form.cleaned_data
                services.register_contract(
                    contract,
                    actor=request.user,
                    contract_type=d["contract_type"],
                    sub_type=d["sub_type"],
                    technology_amount=d["technology_amount"],
                    subject_legal_status=d["subject_legal_status"],
                    carrier_amount=d["carrier_amount"],
                )
                messages.success(request, _("Contract registered."))
                return redirect("contracts_console:review", pk)
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                services.reject_registration(
                    contract, actor=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("Registration refused; the seller has been told why."))
                return redirect("contracts_console:queue")
        except (ValidationError, TransitionError) as exc:
            messages.error(request, message_of(exc))
            contract.refresh_from_db()
    return render(
        request,
        "contracts/console/review.html",
        {
            "contract": contract,
            "checks": checks,
            "rules": rules,
            "question": suggested.question,
            "register_form": register_form,
            "reject_form": reject_form,
            "signatures": contract.signatures.select_related("user"),
            "can_mark_performed": permissions.can_mark_performed(request.user, contract),
            "reveal_identity": permissions.can_see_identity(request.user, contract),
            "can_register": permissions.can_register(request.user, contract)
            and contract.status == ContractStatus.SUBMITTED,
            "sub_type_labels": dict(SubType.choices),
        },
    )


@statistics_required
def console_stats(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    stats = queries.cached_stats(year, tuple(queries.DIMENSIONS))
    pending = Contract.objects.filter(status=ContractStatus.SUBMITTED).count()
    return render(request, "contracts/console/stats.html", {**stats, "year": year, "pending": pending})


@statistics_required
def console_stats_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    stats = queries.cached_stats(year, tuple(queries.DIMENSIONS))
    headers = [
        _("Group"),
        _("Contracts"),
        _("Contract turnover (yuan)"),
        _("Technology transaction amount (yuan)"),
    ]
    sheets = [
        Sheet(
            str(t["title"]),
            [str(t["title"]), *headers[1:]],
            [[r["label"], r["count"], r["turnover"], r["technology"]] for r in t["rows"]],
        )
        for t in stats["tables"]
    ]
    s = stats["summary"]
    sheets.insert(
        0,
        Sheet(
            _("Summary"),
            [
                _("Contracts"),
                _("Contract turnover (yuan)"),
                _("Technology transaction amount (yuan)"),
                _("Registered from"),
                _("Registered to"),
            ],
            [[s["count"], s["turnover"], s["technology"], s["period_start"], s["period_end"]]],
        ),
    )
    return xlsx_response(sheets, f"技术合同统计-{year or '全部'}.xlsx")
