"""Pages of deposits paid by bank transfer (``deposits.py``).

Portal: the bidder's registration page (the receiving account, their payment reference, the amount
due, their refund account). Console (operators): bank statements (upload → preview → import), the
queue of unmatched lines (assign or dismiss), refund payment files.

The preview keeps the uploaded file in storage under a signed token, so the import reads exactly the
file that was previewed; nothing about the statement is stored until the operator confirms.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.downloads import download_response
from techbridge.core.errors import message_of
from techbridge.core.permissions import role_required
from techbridge.core.workflow import TransitionError
from techbridge.lib.xlsx import XLSX_CONTENT_TYPE

from . import bank, deposits, permissions
from .choices import LineStatus
from .forms import AssignLineForm, DismissLineForm, RefundAccountForm, RefundExportForm, StatementUploadForm
from .models import BankStatement, RefundBatch, StatementLine

operator_required = role_required(permissions.can_run_auctions, message=permissions.RUN)
PENDING_DIR = "auctions/statements/pending/"
TOKEN_SALT = "auctions-statement-preview"
TOKEN_MAX_AGE = 3600
PREVIEW_ROWS = 500

# ---- portal: the bidder's registration ----------------------------------------------------------------


def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    reg = permissions.registration_page_for(request.user, pk)
    is_bidder = reg.user_id == request.user.pk
    form = RefundAccountForm(request.POST or None, registration=reg)
    if request.method == "POST":
        permissions.check_bidder_owns(request.user, reg)
        if form.is_valid():
            try:
                deposits.set_refund_account(
                    actor=request.user,
                    registration=reg,
                    name=form.cleaned_data["refund_account_name"],
                    number=form.cleaned_data["refund_account_number"],
                    bank_name=form.cleaned_data["refund_bank"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except TransitionError as exc:
                messages.error(request, message_of(exc))
            else:
                messages.success(request, _("Refund account saved."))
                return redirect("auctions:registration", pk=reg.pk)
    return render(
        request,
        "auctions/portal/registration.html",
        {
            "registration": reg,
            "session": reg.session,
            "account": bank.receiving_account(),
            "form": form,
            "is_bidder": is_bidder,
            "refund_exported": hasattr(reg, "refund_item"),
        },
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# ---- console: statements ------------------------------------------------------------------------------


@operator_required
def console_statements(request: HttpRequest) -> HttpResponse:
    page = Paginator(BankStatement.objects.select_related("uploaded_by"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "auctions/console/statements.html",
        {
            "page": page,
            "statements": list(page.object_list),
            "form": StatementUploadForm(),
            "unmatched": StatementLine.objects.filter(status=LineStatus.UNMATCHED).count(),
        },
    )


@require_POST
@operator_required
def console_statement_preview(request: HttpRequest) -> HttpResponse:
    form = StatementUploadForm(request.POST, request.FILES)
    rows: list[deposits.PreviewRow] = []
    errors: list[str] = []
    token = ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            rows = deposits.preview_statement(actor=request.user, name=upload.name, content=content)
        except bank.StatementError as exc:
            errors = exc.messages
        else:
            ext = upload.name.rsplit(".", 1)[-1].lower()
            path = default_storage.save(f"{PENDING_DIR}{secrets.token_hex(16)}.{ext}", ContentFile(content))
            token = signing.dumps(
                {"path": path, "name": upload.name[:200], "sha": hashlib.sha256(content).hexdigest()},
                salt=TOKEN_SALT,
            )
    counts = {
        "total": len(rows),
        "duplicates": sum(1 for r in rows if r.duplicate),
        "matched": sum(1 for r in rows if not r.duplicate and r.outcome.registration is not None),
    }
    counts["unmatched"] = counts["total"] - counts["duplicates"] - counts["matched"]
    return render(
        request,
        "auctions/console/statement_preview.html",
        {
            "form": form,
            "rows": rows[:PREVIEW_ROWS],
            "more": max(0, len(rows) - PREVIEW_ROWS),
            "errors": errors,
            "token": token,
            "counts": counts,
        },
        status=200 if token else 400,
    )


@require_POST
@operator_required
def console_statement_import(request: HttpRequest) -> HttpResponse:
    try:
        data = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        path = str(data["path"])
        if not path.startswith(PENDING_DIR) or ".." in path:
            raise signing.BadSignature
        with default_storage.open(path, "rb") as fh:
            content = fh.read()
        if hashlib.sha256(content).hexdigest() != data["sha"]:
            raise signing.BadSignature
    except (signing.BadSignature, KeyError, TypeError, OSError):
        messages.error(request, _("The preview has expired. Upload the statement again."))
        return redirect("auctions_console:statements")
    try:
        statement = deposits.import_statement(actor=request.user, name=data["name"], content=content)
    except bank.StatementError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("auctions_console:statements")
    default_storage.delete(path)
    messages.success(
        request,
        _(
            "Statement imported: %(matched)s deposits confirmed, %(unmatched)s lines to resolve, "
            "%(dup)s already imported."
        )
        % {
            "matched": statement.matched_count,
            "unmatched": statement.unmatched_count,
            "dup": statement.duplicate_count,
        },
    )
    return redirect("auctions_console:statement", pk=statement.pk)


@operator_required
def console_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(BankStatement.objects.select_related("uploaded_by"), pk=pk)
    page = Paginator(
        statement.lines.select_related("registration__session", "resolved_by").order_by("row_number"), 100
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "auctions/console/statement.html",
        {
            "statement": statement,
            "page": page,
            "lines": list(page.object_list),
            "history": audit.history_rows(statement),
        },
    )


# ---- console: unmatched lines -------------------------------------------------------------------------


@operator_required
def console_unmatched(request: HttpRequest) -> HttpResponse:
    qs = (
        StatementLine.objects.filter(status=LineStatus.UNMATCHED)
        .select_related("statement")
        .order_by("booked_on", "id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "auctions/console/unmatched.html",
        {"page": page, "lines": list(page.object_list)},
    )


@require_POST
@operator_required
def console_line_assign(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(StatementLine, pk=pk)
    form = AssignLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("auctions_console:unmatched")
    reg = form.cleaned_data["registration"]
    try:
        deposits.assign_line(
            actor=request.user,
            line=line,
            registration=reg,
            override_reason=form.cleaned_data["override_reason"],
        )
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(
            request,
            _("Line %(serial)s paid the deposit of %(bidder)s in %(session)s.")
            % {"serial": line.serial, "bidder": reg.label, "session": reg.session.title},
        )
    return redirect("auctions_console:unmatched")


@require_POST
@operator_required
def console_line_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(StatementLine, pk=pk)
    form = DismissLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("auctions_console:unmatched")
    try:
        deposits.dismiss_line(actor=request.user, line=line, reason=form.cleaned_data["reason"])
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Line %(serial)s dismissed.") % {"serial": line.serial})
    return redirect("auctions_console:unmatched")


# ---- console: refunds ---------------------------------------------------------------------------------


@operator_required
def console_refunds(request: HttpRequest) -> HttpResponse:
    waiting = list(deposits.refunds_waiting()[:200])
    return render(
        request,
        "auctions/console/refunds.html",
        {
            "waiting": waiting,
            "ready": sum(1 for r in waiting if r.refund_account_number),
            "batches": list(RefundBatch.objects.select_related("created_by")[:50]),
            "form": RefundExportForm(),
        },
    )


@require_POST
@operator_required
def console_refund_export(request: HttpRequest) -> HttpResponse:
    form = RefundExportForm(request.POST)
    file_format = form.cleaned_data["file_format"] if form.is_valid() else RefundBatch.Format.XLSX
    try:
        batch = deposits.export_refunds(actor=request.user, file_format=file_format)
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(
            request,
            _(
                "Payment file of %(count)s refunds (%(total)s yuan) exported. "
                "Download it and send it to the bank."
            )
            % {"count": batch.item_count, "total": f"{batch.total:,.2f}"},
        )
    return redirect("auctions_console:refunds")


def refund_file_response(batch: RefundBatch) -> HttpResponse:
    with batch.file.open("rb") as fh:
        content = fh.read()
    name = f"保证金退款-{batch.pk}.{batch.file_format}"
    if batch.file_format == RefundBatch.Format.CSV:
        return download_response(
            content, name, content_type="text/csv; charset=utf-8", fallback="refunds.csv"
        )
    return download_response(content, name, content_type=XLSX_CONTENT_TYPE, fallback="refunds.xlsx")


@operator_required
def console_refund_download(request: HttpRequest, pk: int) -> HttpResponse:
    return refund_file_response(get_object_or_404(RefundBatch, pk=pk))
