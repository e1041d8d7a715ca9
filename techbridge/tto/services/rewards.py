"""Income per case and the inventors' rewards (促进科技成果转化法 art. 44–45), with statements as PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.workflow import TransitionError, record_created, transition

from .. import rules
from ..choices import DisclosureStatus, DistributionStatus, IncomeKind
from ..models import Disclosure, Distribution, DistributionLine, Income, RewardPolicy
from ..permissions import OFFICE_MESSAGE, is_office, is_office_of
from .docket import _day, money


def _office(actor: Any, case: Disclosure) -> None:
    if not is_office_of(actor, case.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)


def policy_of(institution_id: int) -> RewardPolicy:
    """The institution's reward policy (its defaults until the office saves its own)."""
    return RewardPolicy.objects.filter(institution_id=institution_id).first() or RewardPolicy(
        institution_id=institution_id
    )


def _percent(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Give a percentage between 0 and 100.")}) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValidationError({field: _("Give a percentage between 0 and 100.")})
    return number.quantize(Decimal("0.01"))


def save_policy(*, actor: Any, values: dict[str, Any]) -> RewardPolicy:
    """The office sets its institution's reward shares (its own rules, 促进科技成果转化法 art. 44)."""
    if not is_office(actor):
        raise PermissionDenied(OFFICE_MESSAGE)
    policy = policy_of(actor.organization_id)
    for name in ("transfer_percent", "equity_percent", "profit_percent"):
        if name in values:
            setattr(policy, name, _percent(values[name], name))
    policy.updated_by, policy.updated_at = actor, timezone.now()
    policy.full_clean(exclude=["institution"])
    with transaction.atomic():
        policy.save()
        audit.record(
            policy,
            "tto.policy.updated",
            actor=actor,
            data={
                n: str(getattr(policy, n)) for n in ("transfer_percent", "equity_percent", "profit_percent")
            },
        )
    return policy


def record_income(
    case: Disclosure,
    *,
    actor: Any,
    kind: str,
    amount: Any,
    received_on: Any,
    contract: Any = None,
    note: str = "",
) -> Income:
    """Record money (or equity, valued) received for a case. Income under a contract of the institution is
    also recorded as that contract's payment (contracts services)."""
    from techbridge.contracts import services as contracts

    _office(actor, case)
    if case.status in (DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED, DisclosureStatus.WITHDRAWN):
        raise TransitionError(_("Income is recorded for a case the office has decided on."))
    if kind not in IncomeKind.values:
        raise ValidationError({"kind": _("Choose the kind of income.")})
    value = money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": _("An income must be more than zero.")})
    day = _day(received_on, "received_on")
    if contract is not None and contract.seller_id != case.institution_id:
        raise ValidationError({"contract": _("The contract is not one of the institution's.")})
    with transaction.atomic():
        if contract is not None:
            contracts.record_payment(
                contract, actor=actor, paid_on=day, amount=value, note=(note or "")[:200]
            )
        income = Income.objects.create(
            disclosure=case,
            kind=kind,
            amount=value,
            received_on=day,
            contract=contract,
            note=(note or "").strip()[:200],
            recorded_by=actor,
        )
        audit.record(
            case,
            "tto.disclosure.income_recorded",
            actor=actor,
            data={"kind": kind, "amount": str(value), "received": day.isoformat()},
        )
    return income


def create_distribution(
    case: Disclosure,
    *,
    actor: Any,
    kind: str,
    year: Any,
    costs: Any = 0,
    costs_note: str = "",
    percent: Any = None,
    agreement: str = "",
) -> Distribution:
    """Compute the inventors' reward from a year's income of one kind: net = income − costs; the inventors'
    percentage is the institution's policy unless given; below the statutory minimum it is refused unless
    an agreement with the inventors is recorded (促进科技成果转化法 art. 44–45)."""
    _office(actor, case)
    if kind not in IncomeKind.values:
        raise ValidationError({"kind": _("Choose the kind of income.")})
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Give the year as four digits.")}) from None
    if not 2000 <= y <= timezone.localdate().year:
        raise ValidationError({"year": _("Give the year as four digits.")})
    gross = Income.objects.filter(disclosure=case, kind=kind, received_on__year=y).aggregate(t=Sum("amount"))[
        "t"
    ]
    if not gross:
        raise ValidationError(
            {"year": _("No income of this kind was recorded for the case in %(year)d.") % {"year": y}}
        )
    cost = money(costs, "costs")
    if cost > gross:
        raise ValidationError({"costs": _("Costs cannot exceed the income.")})
    share = (
        policy_of(case.institution_id).percent_for(kind)
        if percent in (None, "")
        else _percent(percent, "percent")
    )
    agreement = (agreement or "").strip()[:300]
    if rules.below_minimum(kind, share) and not agreement:
        raise ValidationError(
            {
                "percent": _(
                    "%(percent)s %% is below the statutory minimum and no agreement with the inventors is "
                    "recorded (%(article)s)."
                )
                % {"percent": share, "article": rules.ARTICLE[IncomeKind(kind)]}
            }
        )
    inventors = list(case.inventors.all())
    if not inventors:
        raise ValidationError({"inventors": _("The case has no inventors.")})
    net = gross - cost
    to_inventors = rules.money(net * share / Decimal("100"))
    dist = Distribution(
        disclosure=case,
        kind=kind,
        year=y,
        gross=gross,
        costs=cost,
        costs_note=(costs_note or "").strip()[:300],
        net=net,
        percent=share,
        inventors_amount=to_inventors,
        agreement=agreement,
        created_by=actor,
    )
    dist.full_clean()
    parts = rules.split(to_inventors, [i.share for i in inventors])
    try:
        with transaction.atomic():
            dist.save()
            DistributionLine.objects.bulk_create(
                DistributionLine(distribution=dist, inventor=inv, share=inv.share, amount=part)
                for inv, part in zip(inventors, parts, strict=True)
            )
            record_created(
                dist,
                actor=actor,
                action="tto.distribution.created",
                data={"net": str(net), "percent": str(share), "amount": str(to_inventors)},
            )
    except IntegrityError:
        raise TransitionError(_("This year's income of this kind is already distributed.")) from None
    return dist


def issue_distribution(dist: Distribution, *, actor: Any) -> None:
    """Issue it: the inventors are notified and a statement per inventor is queued as a PDF, typeset in
    the background once this commits and stored with its SHA-256 (``tto.documents``; issue 22 point 6)."""
    from techbridge.core import documents

    from ..documents import STATEMENT

    case = dist.disclosure
    _office(actor, case)
    if dist.status != DistributionStatus.DRAFT:
        raise TransitionError(_("This distribution was already issued."))
    lines = list(dist.lines.select_related("inventor", "distribution__disclosure"))
    with transaction.atomic():
        transition(
            dist,
            DistributionStatus.ISSUED,
            actor=actor,
            action="tto.distribution.issued",
            changes={"issued_at": timezone.now()},
        )
        for line in lines:
            line.distribution = dist
            documents.current(line, STATEMENT, actor=actor)
            if line.inventor.user_id:
                notify(
                    line.inventor.user,
                    kind="tto",
                    title=_("Your reward statement for %(title)s is ready") % {"title": case.title},
                    link=f"/tto/cases/{case.pk}/",
                    dedupe_key=f"tto-statement-{line.pk}",
                )


def income_years(case: Disclosure) -> list[int]:
    return sorted({d.year for d in case.incomes.dates("received_on", "year")}, reverse=True)


def today() -> dt.date:
    return timezone.localdate()
