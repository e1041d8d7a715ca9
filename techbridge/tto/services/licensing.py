"""Open licences (专利开放许可, 专利法 art. 50–52): declaration, licence by notice, royalty reports."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.workflow import TransitionError, record_created, transition

from .. import rules
from ..choices import ApplicationStatus, LicenceStatus
from ..models import LicenceGrant, OpenLicence, PatentApplication, RoyaltyReport
from ..permissions import OFFICE_MESSAGE, is_office_of, may_take_licence
from .cases import _offices
from .docket import money


def _rate(value: Any) -> Decimal:
    try:
        rate = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"royalty_rate": _("Give the royalty as a percentage of sales.")}) from None
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise ValidationError({"royalty_rate": _("The royalty is a share of sales between 0 and 100.")})
    return rate.quantize(Decimal("0.01"))


def declare_open_licence(
    app: PatentApplication,
    *,
    actor: Any,
    royalty_rate: Any,
    entry_fee: Any,
    term_years: Any,
    payment_terms: str,
    is_demo: bool = False,
) -> OpenLicence:
    """Declare a granted patent open for licence with published terms (专利法 art. 50)."""
    if not is_office_of(actor, app.disclosure.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)
    if app.status != ApplicationStatus.GRANTED:
        raise TransitionError(
            _("Only a granted patent in force can be declared open for licence (专利法 art. 50).")
        )
    try:
        years = int(str(term_years).strip())
    except (TypeError, ValueError):
        raise ValidationError({"term_years": _("Give the licence term in whole years (1–20).")}) from None
    if not 1 <= years <= 20:
        raise ValidationError({"term_years": _("Give the licence term in whole years (1–20).")})
    terms = (payment_terms or "").strip()
    if not terms:
        raise ValidationError({"payment_terms": _("Publish how and when royalties are paid.")})
    licence = OpenLicence(
        application=app,
        royalty_rate=_rate(royalty_rate),
        entry_fee=money(entry_fee, "entry_fee"),
        term_years=years,
        payment_terms=terms[:1000],
        declared_by=actor,
        is_demo=is_demo,
    )
    licence.full_clean(exclude=["application"])
    try:
        with transaction.atomic():
            licence.save()
            record_created(
                licence,
                actor=actor,
                action="tto.licence.declared",
                data={"rate": str(licence.royalty_rate), "entry_fee": str(licence.entry_fee)},
            )
    except IntegrityError:
        raise TransitionError(_("This patent is already declared open for licence.")) from None
    return licence


def withdraw_open_licence(licence: OpenLicence, *, actor: Any) -> None:
    """Withdraw the declaration; licences already taken stay valid (专利法 art. 50)."""
    if not is_office_of(actor, licence.application.disclosure.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)
    transition(licence, LicenceStatus.WITHDRAWN, actor=actor, action="tto.licence.withdrawn")


def take_licence(licence: OpenLicence, *, actor: Any) -> LicenceGrant:
    """Take a licence by written notice (专利法 art. 51): the licence contract is generated on the published
    terms through the contracts services, signed for the holder by its declaration, signed by the licensee,
    and submitted for registration."""
    from techbridge.contracts import services as contracts

    if not may_take_licence(actor, licence):
        raise PermissionDenied(
            _(
                "A licence is taken by an approved organisation other than the patent holder, "
                "while the patent is open."
            )
        )
    app = licence.application
    case = app.disclosure
    if LicenceGrant.objects.filter(licence=licence, licensee_id=actor.organization_id).exists():
        raise TransitionError(_("Your organisation already holds this licence."))
    holder = licence.declared_by
    with transaction.atomic():
        contract = contracts.create_draft_contract(
            actor=actor,
            seller=case.institution,
            buyer=actor.organization,
            title=_("Open licence of %(title)s") % {"title": app.title},
            amount=licence.entry_fee,
            achievement=case.achievement,
            deal_mode="open-license",
            origin_ref=f"open-licence:{licence.pk}",
        )
        contracts.update_draft(
            contract,
            actor=actor,
            data={
                "subject_kind": {
                    "invention": "invention_patent",
                    "utility": "utility_model",
                    "design": "design",
                }[app.kind],
                "subject_legal_status": "granted",
                "payment_terms": "entry_fee_royalty" if licence.entry_fee else "royalty",
                "royalty_rate": licence.royalty_rate,
                "duration_months": licence.term_years * 12,
                "exclusivity": "non_exclusive",
                "terms": _(
                    "Open licence declared on %(day)s (专利法 art. 50–52). Patent %(number)s. %(terms)s"
                )
                % {
                    "day": timezone.localtime(licence.declared_at).date().isoformat(),
                    "number": app.application_number,
                    "terms": licence.payment_terms,
                },
            },
        )
        contracts.sign_contract(contract, actor=actor)
        contracts.sign_contract(contract, actor=holder)
        contracts.submit_for_registration(contract, actor=holder)
        try:
            with transaction.atomic():
                grant = LicenceGrant.objects.create(
                    licence=licence, licensee=actor.organization, contract=contract, noticed_by=actor
                )
        except IntegrityError:
            raise TransitionError(_("Your organisation already holds this licence.")) from None
        audit.record(
            licence,
            "tto.licence.taken",
            actor=actor,
            data={"licensee": actor.organization_id, "contract": contract.number},
        )
        for user in _offices(case):
            notify(
                user,
                kind="tto",
                title=_("%(org)s took an open licence of %(title)s")
                % {"org": actor.organization.name, "title": app.title},
                link=f"/tto/licences/{licence.pk}/",
                dedupe_key=f"tto-licence-{grant.pk}-{user.pk}",
            )
    return grant


def report_royalties(grant: LicenceGrant, *, actor: Any, year: Any, sales: Any) -> RoyaltyReport:
    """The licensee reports a year's sales; the royalty due follows from the published rate."""
    if getattr(actor, "organization_id", None) != grant.licensee_id:
        raise PermissionDenied(_("Only the licensee reports its sales."))
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Give the year as four digits.")}) from None
    if not 2000 <= y <= timezone.localdate().year:
        raise ValidationError({"year": _("Report a year that has begun.")})
    amount = money(sales, "sales")
    royalty = rules.money(amount * grant.licence.royalty_rate / Decimal("100"))
    try:
        with transaction.atomic():
            report = RoyaltyReport.objects.create(
                grant=grant, year=y, sales=amount, royalty=royalty, reported_by=actor
            )
            audit.record(
                grant.licence,
                "tto.licence.royalties_reported",
                actor=actor,
                data={"year": y, "sales": str(amount), "royalty": str(royalty)},
            )
    except IntegrityError:
        raise TransitionError(_("Sales for this year were already reported.")) from None
    return report
