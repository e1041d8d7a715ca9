"""IP-pledge loans: an enterprise applies to a bank's IP-pledge product with patents from the patent
register (``ipservices``), the bank decides, registers the pledge and records the repayments.

A patent can be pledged only when it is the applicant's own (the register links it to the organisation
or names it among the applicants), granted (not pending, lapsed, expired or invalidated) and protected
for longer than the loan's term — the pledge must outlast the loan (《专利权质押登记办法》: an expired or
lapsed patent cannot be pledged). Every refusal names the patent and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import deny
from techbridge.core.roles import is_console_user
from techbridge.core.workflow import TransitionError, record_created, transition
from techbridge.ipservices.choices import LegalStatus
from techbridge.ipservices.models import Patent
from techbridge.ipservices.terms import remaining_days

from . import permissions
from .choices import Instrument, InvestorStatus, LoanStatus
from .models import MAX_PLEDGED, LoanApplication, Product
from .services import amount_of


def patent_problem(patent: Patent, org: Any, term_months: int, on: dt.date | None = None) -> str | None:
    """Why ``patent`` cannot be pledged by ``org`` for a loan of ``term_months`` (None: it can)."""
    on = on or timezone.localdate()
    label = patent.grant_number or patent.publication_number or patent.application_number
    own = patent.applicant_org_id == org.pk or (org.name and org.name in (patent.applicants or ""))
    if not own:
        return _("Patent %(number)s is not registered to your organisation.") % {"number": label}
    if patent.legal_status != LegalStatus.GRANTED:
        return _("Patent %(number)s is %(status)s and cannot be pledged.") % {
            "number": label,
            "status": patent.get_legal_status_display(),
        }
    left = remaining_days(patent.expiry_date, on)
    if left is None:
        return _("The end of term of patent %(number)s is unknown: correct the register first.") % {
            "number": label
        }
    if left <= term_months * 30.4:
        return _(
            "Patent %(number)s is protected for %(days)s more days only, "
            "less than the loan's term of %(months)s months."
        ) % {"number": label, "days": left, "months": term_months}
    return None


def pledgeable_patents(org: Any) -> QuerySet[Patent]:
    """The organisation's own patents in the register (the form offers these)."""
    return Patent.objects.filter(Q(applicant_org=org) | Q(applicants__contains=org.name)).order_by(
        "-grant_date", "pk"
    )


def ip_loan_products() -> QuerySet[Product]:
    return Product.objects.filter(
        instrument=Instrument.IP_LOAN, is_active=True, investor__status=InvestorStatus.QUALIFIED
    ).select_related("investor")


# ---- who


def loans_visible_q(user: Any) -> Q:
    if is_console_user(user):
        return Q()
    if not permissions._member(user):
        return Q(pk__in=[])
    return Q(organization_id=user.organization_id) | Q(
        product__investor__organization_id=user.organization_id
    )


def loan_for(user: Any, pk: int) -> LoanApplication:
    loan = (
        LoanApplication.objects.filter(loans_visible_q(user))
        .select_related("organization", "product", "product__investor", "valuation_report")
        .filter(pk=pk)
        .first()
    )
    if loan is None:
        raise Http404
    return loan


def is_bank(user: Any, loan: LoanApplication) -> bool:
    return permissions.in_org(user, loan.product.investor.organization_id)


def check_bank(user: Any, loan: LoanApplication) -> None:
    if not is_bank(user, loan):
        deny(_("Only the bank that offers the product decides, registers the pledge and records repayments."))


# ---- writes


def apply(
    *,
    actor: Any,
    product: Product,
    amount: Any,
    term_months: int,
    purpose: str,
    patents: Iterable[Patent],
    valuation_report: Any = None,
    is_demo: bool = False,
) -> LoanApplication:
    """Apply for an IP-pledge loan; every pledged patent is checked (ownership, legal status, term left)."""
    permissions.check_post_request(actor)
    org = actor.organization
    if product.instrument != Instrument.IP_LOAN or not product.is_active:
        raise ValidationError({"product": _("Choose an IP-pledge loan product on offer.")})
    if product.investor.status != InvestorStatus.QUALIFIED:
        raise ValidationError({"product": _("Choose an IP-pledge loan product on offer.")})
    amount = amount_of(amount, label=_("The amount applied for"))
    if not (product.amount_min <= amount <= product.amount_max):
        raise ValidationError(
            {
                "amount": _("This product lends between %(low)s and %(high)s yuan.")
                % {"low": f"{product.amount_min:,.0f}", "high": f"{product.amount_max:,.0f}"}
            }
        )
    patents = list(dict.fromkeys(patents))
    if not patents:
        raise ValidationError({"patents": _("Pledge at least one patent.")})
    if len(patents) > MAX_PLEDGED:
        raise ValidationError({"patents": _("Pledge at most %(n)s patents.") % {"n": MAX_PLEDGED}})
    problems = [p for p in (patent_problem(pt, org, term_months) for pt in patents) if p]
    if problems:
        raise ValidationError({"patents": problems})
    if valuation_report is not None:
        from .services import _check_valuation

        _check_valuation(valuation_report, org.pk)
    loan = LoanApplication(
        organization=org,
        created_by=actor,
        product=product,
        amount=amount,
        term_months=term_months,
        purpose=(purpose or "").strip(),
        valuation_report=valuation_report,
        is_demo=is_demo,
    )
    loan.full_clean(validate_constraints=False)
    with transaction.atomic():
        loan.save()
        loan.patents.set(patents)
        record_created(loan, actor=actor, action="finance.loanapplication.submitted")
    return loan


def decide(loan: LoanApplication, *, actor: Any, approve: bool, amount: Any = None, note: str = "") -> None:
    check_bank(actor, loan)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": 500}})
    if approve:
        approved = amount_of(
            amount if amount not in (None, "") else loan.amount, label=_("The amount approved")
        )
        if approved > loan.amount:
            raise ValidationError({"amount": _("The bank approves at most the amount applied for.")})
        transition(
            loan,
            LoanStatus.APPROVED,
            actor=actor,
            action="finance.loanapplication.approved",
            message=note,
            changes={"approved_amount": approved, "decision_note": note, "decided_at": timezone.now()},
        )
    else:
        if not note:
            raise ValidationError({"note": _("Say why the loan is refused.")})
        transition(
            loan,
            LoanStatus.REFUSED,
            actor=actor,
            action="finance.loanapplication.refused",
            message=note,
            changes={"decision_note": note, "decided_at": timezone.now()},
        )


def register_pledge(loan: LoanApplication, *, actor: Any, number: str) -> None:
    """The pledge is registered (with the patent office's registration number) and the loan paid out."""
    check_bank(actor, loan)
    number = (number or "").strip()
    if not number or len(number) > 50:
        raise ValidationError({"number": _("Give the pledge registration number (at most 50 characters).")})
    if loan.status == LoanStatus.APPROVED:
        left = [
            p
            for p in (patent_problem(pt, loan.organization, loan.term_months) for pt in loan.patents.all())
            if p
        ]
        if left:
            raise ValidationError({"patents": left})
    transition(
        loan,
        LoanStatus.REGISTERED,
        actor=actor,
        action="finance.loanapplication.pledge_registered",
        changes={
            "pledge_number": number,
            "registered_at": timezone.now(),
            "outstanding": loan.approved_amount,
        },
    )


def record_repayment(loan: LoanApplication, *, actor: Any, amount: Any) -> None:
    """A repayment lowers what is outstanding (never below zero); the last one marks the loan repaid."""
    check_bank(actor, loan)
    if loan.status != LoanStatus.REGISTERED:
        raise TransitionError(_("Repayments are recorded once the pledge is registered."))
    paid = amount_of(amount, label=_("The repayment"))
    with transaction.atomic():
        rows = LoanApplication.objects.filter(
            pk=loan.pk, status=LoanStatus.REGISTERED, outstanding__gte=paid
        ).update(outstanding=F("outstanding") - paid, updated_at=timezone.now())
        if rows != 1:
            raise ValidationError({"amount": _("The repayment is more than what is outstanding.")})
        loan.refresh_from_db(fields=["outstanding", "updated_at"])
        audit.record(
            loan, "finance.loanapplication.repayment_recorded", actor=actor, data={"amount": str(paid)}
        )
        if loan.outstanding == Decimal("0"):
            transition(
                loan,
                LoanStatus.REPAID,
                actor=actor,
                action="finance.loanapplication.repaid",
                changes={"repaid_at": timezone.now()},
            )
