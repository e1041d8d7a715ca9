"""Portal pages of IP-pledge loans, under /finance/loans/: the list (the applicant's and the bank's),
applying, an application (pledged patents with their status and term left) and the bank's actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act, message_of
from techbridge.core.permissions import role_required, signed_in
from techbridge.core.workflow import TransitionError
from techbridge.ipservices.terms import remaining_days

from .. import loans, permissions
from ..forms import DecideForm, LoanForm, PledgeForm, RepaymentForm
from ..models import LoanApplication

REFUSALS = (ValidationError, TransitionError)


@role_required(signed_in)
def loan_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        LoanApplication.objects.filter(loans.loans_visible_q(request.user))
        .select_related("organization", "product", "product__investor")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(
        request,
        "finance/portal/loans.html",
        {"loans": rows, "can_apply": permissions.can_post_request(request.user)},
    )


@role_required(
    permissions.can_post_request,
    message=_("Only members of an approved enterprise, university or institute post financing requests."),
)
def loan_apply(request: HttpRequest) -> HttpResponse:
    form = LoanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            loan = loans.apply(
                actor=request.user,
                product=d["product"],
                amount=d["amount"],
                term_months=d["term_months"],
                purpose=d["purpose"],
                patents=d["patents"],
                valuation_report=d.get("valuation_report"),
            )
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Loan application sent to the bank."))
            return redirect("finance:loan", loan.pk)
    return render(
        request, "finance/portal/form.html", {"form": form, "title": _("Apply for an IP-pledge loan")}
    )


def _loan(request: HttpRequest, pk: int) -> LoanApplication | HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return loans.loan_for(request.user, pk)


def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    if isinstance(loan, HttpResponse):
        return loan
    today = timezone.localdate()
    patents = [
        {"patent": p, "days_left": remaining_days(p.expiry_date, today)}
        for p in loan.patents.all().order_by("pk")
    ]
    return render(
        request,
        "finance/portal/loan.html",
        {
            "loan": loan,
            "patents": patents,
            "is_bank": loans.is_bank(request.user, loan),
            "decide_form": DecideForm(),
            "pledge_form": PledgeForm(),
            "repay_form": RepaymentForm(),
            "history": audit.history_rows(loan, limit=30),
        },
    )


def _bank_action(request: HttpRequest, pk: int, form_class: type, run: Any, success: str) -> HttpResponse:
    loan = _loan(request, pk)
    if isinstance(loan, HttpResponse):
        return loan
    loans.check_bank(request.user, loan)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance:loan", loan.pk)
    return act(
        request, lambda: run(loan, form.cleaned_data), success, "finance:loan", loan.pk, refusals=REFUSALS
    )


@require_POST
def loan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _bank_action(
        request,
        pk,
        DecideForm,
        lambda loan, d: loans.decide(
            loan, actor=request.user, approve=d["approve"], amount=d.get("amount"), note=d.get("note") or ""
        ),
        _("Decision recorded."),
    )


@require_POST
def loan_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _bank_action(
        request,
        pk,
        PledgeForm,
        lambda loan, d: loans.register_pledge(loan, actor=request.user, number=d["number"]),
        _("Pledge registered; the loan is being repaid."),
    )


@require_POST
def loan_repay(request: HttpRequest, pk: int) -> HttpResponse:
    return _bank_action(
        request,
        pk,
        RepaymentForm,
        lambda loan, d: loans.record_repayment(loan, actor=request.user, amount=d["amount"]),
        _("Repayment recorded."),
    )


__all__ = ["loan_apply", "loan_decide", "loan_detail", "loan_list", "loan_register", "loan_repay"]
