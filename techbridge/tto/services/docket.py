"""The protection docket: applications, office actions, computed deadlines, reminders, annual fees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.workflow import TransitionError, record_created, transition
from techbridge.lib.patents import is_patent_number, normalise_patent_number

from .. import rules
from ..choices import AnnuityChoice, ApplicationStatus, DisclosureStatus, PatentKind
from ..models import MAX_MONEY, AnnuityDecision, Disclosure, OfficeAction, PatentApplication
from ..permissions import OFFICE_MESSAGE, is_office_of
from .cases import _offices

REMIND_DAYS = 30
OPEN = (ApplicationStatus.FILED, ApplicationStatus.EXAMINING, ApplicationStatus.GRANTED)


def _office(actor: Any, case: Disclosure) -> None:
    if not is_office_of(actor, case.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)


def money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0").replace(",", "").strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise ValidationError({field: _("Enter an amount in yuan between 0 and 9,999,999,999.99.")})
    return amount.quantize(Decimal("0.01"))


def _day(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from None
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if day.year < 1985:
        raise ValidationError({field: _("The date is before the patent law (1985).")})
    return day


def deadlines(app: PatentApplication, today: dt.date | None = None) -> list[rules.Deadline]:
    """The open deadlines of an application, nearest first, computed from its dates and office actions."""
    today = today or timezone.localdate()
    out: list[rules.Deadline] = []
    if app.status in (ApplicationStatus.FILED, ApplicationStatus.EXAMINING):
        out.append(
            rules.Deadline(
                gettext_lazy("Priority for filing abroad (专利法 art. 29)"),
                rules.priority_deadline(app.kind, app.filing_date),
            )
        )
        if app.kind == PatentKind.INVENTION and not app.examination_requested:
            out.append(
                rules.Deadline(
                    gettext_lazy("Request for substantive examination (专利法 art. 35)"),
                    rules.examination_deadline(app.filing_date),
                )
            )
        for action in app.office_actions.all():
            if action.responded_on is None:
                out.append(
                    rules.Deadline(
                        gettext_lazy("Answer to the %(kind)s") % {"kind": action.get_kind_display()},
                        action.response_due,
                    )
                )
    if app.status == ApplicationStatus.GRANTED and app.grant_date:
        nxt = rules.next_annuity(app.kind, app.filing_date, app.grant_date, today)
        if nxt is not None and not app.annuities.filter(patent_year=nxt[0]).exists():
            out.append(
                rules.Deadline(gettext_lazy("Annual fee for patent year %(year)d") % {"year": nxt[0]}, nxt[1])
            )
    return sorted((d for d in out if d.due >= today), key=lambda d: d.due)


def _refresh(app: PatentApplication) -> None:
    found = deadlines(app)
    app.next_deadline = found[0].due if found else None
    PatentApplication.objects.filter(pk=app.pk).update(
        next_deadline=app.next_deadline, updated_at=timezone.now()
    )


def file_application(case: Disclosure, *, actor: Any, data: dict[str, Any]) -> PatentApplication:
    """Enter a filed application for a case the office decided to protect."""
    _office(actor, case)
    if case.status not in (DisclosureStatus.PROTECT, DisclosureStatus.PUBLISH):
        raise TransitionError(_("File applications for a case the office decided to protect."))
    number = str(data.get("application_number") or "").strip().upper().replace(" ", "")
    if not is_patent_number(number):
        raise ValidationError(
            {"application_number": _("Write the application number like CN202410123456.7.")}
        )
    kind = data.get("kind") or PatentKind.INVENTION
    if kind not in PatentKind.values:
        raise ValidationError({"kind": _("Choose invention, utility model or design.")})
    app = PatentApplication(
        disclosure=case,
        kind=kind,
        title=(str(data.get("title") or "") or case.title).strip()[:200],
        application_number=normalise_patent_number(number)[:30],
        agency=str(data.get("agency") or "").strip()[:200],
        filing_date=_day(data.get("filing_date"), "filing_date"),
        official_fees=money(data.get("official_fees"), "official_fees"),
        agency_fees=money(data.get("agency_fees"), "agency_fees"),
        created_by=actor,
    )
    app.full_clean(exclude=["application_number"])
    try:
        with transaction.atomic():
            app.save()
            record_created(
                app,
                actor=actor,
                action="tto.application.filed",
                data={"number": app.application_number, "filed": app.filing_date.isoformat()},
            )
            _refresh(app)
    except IntegrityError:
        raise ValidationError(
            {"application_number": _("This application is already in the docket.")}
        ) from None
    return app


def request_examination(app: PatentApplication, *, actor: Any) -> None:
    _office(actor, app.disclosure)
    if app.kind != PatentKind.INVENTION:
        raise ValidationError({"kind": _("Only invention applications are examined in substance.")})
    with transaction.atomic():
        transition(
            app,
            ApplicationStatus.EXAMINING,
            actor=actor,
            action="tto.application.examination_requested",
            changes={"examination_requested": True},
        )
        _refresh(app)


def record_office_action(app: PatentApplication, *, actor: Any, kind: str, issued_on: Any) -> OfficeAction:
    """Record a notice from the patent office; the answer's deadline is computed from the date it was sent."""
    _office(actor, app.disclosure)
    if app.status not in (ApplicationStatus.FILED, ApplicationStatus.EXAMINING):
        raise TransitionError(_("Office actions are recorded while the application is pending."))
    if kind not in {c.value for c in rules.ActionKind}:
        raise ValidationError({"kind": _("Choose the kind of notice.")})
    issued = _day(issued_on, "issued_on")
    if issued < app.filing_date:
        raise ValidationError({"issued_on": _("A notice cannot predate the filing.")})
    with transaction.atomic():
        action = OfficeAction.objects.create(
            application=app,
            kind=kind,
            issued_on=issued,
            response_due=rules.response_deadline(kind, issued),
            recorded_by=actor,
        )
        audit.record(
            app,
            "tto.application.action_recorded",
            actor=actor,
            data={"kind": kind, "issued": issued.isoformat(), "due": action.response_due.isoformat()},
        )
        _refresh(app)
    return action


def answer_office_action(action: OfficeAction, *, actor: Any, responded_on: Any) -> None:
    app = action.application
    _office(actor, app.disclosure)
    if action.responded_on:
        raise TransitionError(_("This notice was already answered."))
    day = _day(responded_on, "responded_on")
    with transaction.atomic():
        if OfficeAction.objects.filter(pk=action.pk, responded_on__isnull=True).update(responded_on=day) != 1:
            raise TransitionError(_("This notice was already answered."))
        action.responded_on = day
        audit.record(app, "tto.application.action_answered", actor=actor, data={"answered": day.isoformat()})
        _refresh(app)


def record_grant(app: PatentApplication, *, actor: Any, grant_date: Any) -> None:
    _office(actor, app.disclosure)
    day = _day(grant_date, "grant_date")
    if day < app.filing_date:
        raise ValidationError({"grant_date": _("A patent cannot be granted before it was filed.")})
    with transaction.atomic():
        transition(
            app,
            ApplicationStatus.GRANTED,
            actor=actor,
            action="tto.application.granted",
            changes={"grant_date": day},
        )
        _refresh(app)


def decide_annuity(
    app: PatentApplication, *, actor: Any, decision: str, fee: Any = 0, reasons: str = ""
) -> AnnuityDecision:
    """Keep (pay) or abandon the next annual fee of a granted patent; abandoning lets the patent go."""
    _office(actor, app.disclosure)
    if app.status != ApplicationStatus.GRANTED or not app.grant_date:
        raise TransitionError(_("Annual fees are decided for granted patents."))
    if decision not in AnnuityChoice.values:
        raise ValidationError({"decision": _("Choose keep or abandon.")})
    nxt = rules.next_annuity(app.kind, app.filing_date, app.grant_date, timezone.localdate())
    if nxt is None:
        raise TransitionError(_("The patent's term has ended; no annual fee is due."))
    year, due = nxt
    amount = money(fee, "fee") if decision == AnnuityChoice.KEEP else Decimal("0")
    reasons = (reasons or "").strip()[:1000]
    if decision == AnnuityChoice.ABANDON and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for abandoning the patent.")})
    try:
        with transaction.atomic():
            item = AnnuityDecision.objects.create(
                application=app,
                patent_year=year,
                due_on=due,
                decision=decision,
                fee=amount,
                reasons=reasons,
                decided_by=actor,
            )
            audit.record(
                app,
                "tto.application.annuity_decided",
                actor=actor,
                data={"year": year, "decision": decision, "fee": str(amount)},
            )
            if decision == AnnuityChoice.ABANDON:
                transition(
                    app,
                    ApplicationStatus.ABANDONED,
                    actor=actor,
                    action="tto.application.abandoned",
                    message=reasons,
                )
            _refresh(app)
    except IntegrityError:
        raise TransitionError(_("This year's fee was already decided.")) from None
    return item


def portfolio_costs(institution_id: int) -> list[tuple[int, Decimal]]:
    """Patent costs per year: fees at filing (by filing year) and annual fees kept (by due year)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    filed = (
        PatentApplication.objects.filter(disclosure__institution_id=institution_id)
        .values_list("filing_date__year")
        .annotate(total=Sum("official_fees") + Sum("agency_fees"))
    )
    for year, total in filed:
        totals[year] += total or Decimal("0")
    kept = (
        AnnuityDecision.objects.filter(
            application__disclosure__institution_id=institution_id, decision=AnnuityChoice.KEEP
        )
        .values_list("due_on__year")
        .annotate(total=Sum("fee"))
    )
    for year, total in kept:
        totals[year] += total or Decimal("0")
    return sorted((year, total.quantize(Decimal("0.01"))) for year, total in totals.items())


def remind_deadlines() -> int:
    """Daily sweep: remind the office of every docket deadline within 30 days, once per deadline."""
    today = timezone.localdate()
    sent = 0
    due = PatentApplication.objects.filter(
        status__in=OPEN, next_deadline__gte=today, next_deadline__lte=today + dt.timedelta(days=REMIND_DAYS)
    ).select_related("disclosure")
    for app in due:
        found = deadlines(app, today)
        if not found:
            continue
        first = found[0]
        for user in _offices(app.disclosure):
            if notify(
                user,
                kind="tto",
                title=_("%(number)s: %(what)s due %(due)s")
                % {"number": app.application_number, "what": first.label, "due": first.due.isoformat()},
                link=f"/tto/cases/{app.disclosure_id}/",
                dedupe_key=f"tto-deadline-{app.pk}-{first.due.isoformat()}-{user.pk}",
            ):
                sent += 1
    return sent
