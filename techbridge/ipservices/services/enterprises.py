"""IP-intensive enterprises: indicators per organisation and year, designations, and the register of
IP service providers (the assistance centre and IP service institutions)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_operator, is_staff_reviewer

from ..choices import PatentKind
from ..models import Designation, EnterpriseIndicators, Industry, Patent, ServiceProvider


def _check_staff(actor: Any) -> None:
    if not is_staff_reviewer(actor):
        raise PermissionDenied(_("Only platform reviewers and operators record enterprise indicators."))


def _check_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("Only platform operators do this."))


def patents_of(org: Any) -> Any:
    """Register patents of an organisation: it is the first applicant on the platform, or named among them."""
    return Patent.objects.filter(Q(applicant_org=org) | Q(applicants__contains=org.name))


def compute(ind: EnterpriseIndicators) -> EnterpriseIndicators:
    """Fill the computed figures of ``ind`` from the register (patents in force at the end of its
    year, applications filed in it) and the platform's registered contracts of the year (licences
    and assignments, granted and taken)."""
    import datetime as dt

    from techbridge.contracts.choices import ContractStatus, ContractType

    from ..queries import in_force_q

    year_end = dt.date(ind.year, 12, 31)
    org = ind.organization
    patents = patents_of(org)
    agg = patents.aggregate(
        in_force=Count("id", filter=in_force_q(year_end)),
        inventions=Count("id", filter=in_force_q(year_end) & Q(kind=PatentKind.INVENTION)),
        filed=Count("id", filter=Q(filing_date__year=ind.year)),
    )
    ind.patents_in_force = agg["in_force"]
    ind.inventions_in_force = agg["inventions"]
    ind.patents_filed = agg["filed"]
    ind.invention_share = (
        (Decimal(agg["inventions"]) / Decimal(agg["in_force"])).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if agg["in_force"]
        else Decimal(0)
    )
    ind.patents_per_100_employees = (Decimal(agg["in_force"]) * 100 / Decimal(ind.employees)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    from techbridge.contracts.models import Contract

    registered = Contract.objects.filter(status=ContractStatus.REGISTERED, registered_at__year=ind.year)
    kinds = [ContractType.LICENSE, ContractType.TRANSFER]
    c = registered.filter(contract_type__in=kinds).aggregate(
        licences_out=Count("id", filter=Q(seller=org, contract_type=ContractType.LICENSE)),
        transfers_out=Count("id", filter=Q(seller=org, contract_type=ContractType.TRANSFER)),
        licences_in=Count("id", filter=Q(buyer=org, contract_type=ContractType.LICENSE)),
        transfers_in=Count("id", filter=Q(buyer=org, contract_type=ContractType.TRANSFER)),
        amount=Sum("technology_amount", filter=Q(seller=org) | Q(buyer=org)),
    )
    ind.licences_out, ind.transfers_out = c["licences_out"], c["transfers_out"]
    ind.licences_in, ind.transfers_in = c["licences_in"], c["transfers_in"]
    ind.contract_amount = c["amount"] or Decimal(0)
    ind.computed_at = timezone.now()
    return ind


def record_indicators(
    org: Any, year: int, *, actor: Any, employees: int, rd_employees: int | None = None
) -> EnterpriseIndicators:
    """Record an organisation's reported staff for a year and compute its IP indicators (staff)."""
    _check_staff(actor)
    this_year = timezone.localdate().year
    if not 1985 <= int(year) <= this_year:
        raise ValidationError({"year": _("Choose a year up to %(year)s.") % {"year": this_year}})
    if rd_employees is not None and employees and rd_employees > employees:
        raise ValidationError({"rd_employees": _("R&D staff cannot exceed the employees.")})
    with transaction.atomic():
        ind = EnterpriseIndicators.objects.filter(organization=org, year=year).first()
        creating = ind is None
        if ind is None:
            ind = EnterpriseIndicators(organization=org, year=year, employees=employees)
        ind.employees, ind.rd_employees = employees, rd_employees
        ind.updated_by, ind.updated_at = actor, timezone.now()
        ind.full_clean(validate_unique=False)
        compute(ind)
        try:
            with transaction.atomic():
                ind.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("Someone else recorded these indicators a moment ago. Reload and try again.")
            ) from exc
        audit.record(
            ind,
            "ipservices.indicators.recorded" if creating else "ipservices.indicators.updated",
            actor=actor,
            data={"year": year, "employees": employees},
        )
    return ind


def designate(
    org: Any, year: int, *, actor: Any, industry: Industry | None = None, note: str = ""
) -> Designation:
    """Designate an organisation as an IP-intensive enterprise in ``year`` (operators; once per year)."""
    _check_operator(actor)
    from techbridge.organizations.choices import OrgKind, OrgStatus

    if org.kind != OrgKind.ENTERPRISE or org.status != OrgStatus.APPROVED:
        raise ValidationError(_("Only approved enterprises are designated."))
    if industry is not None and not industry.is_base:
        raise ValidationError({"industry": _("Choose an IP-intensive industry base.")})
    this_year = timezone.localdate().year
    if not 2000 <= int(year) <= this_year:
        raise ValidationError({"year": _("Choose a year up to %(year)s.") % {"year": this_year}})
    try:
        with transaction.atomic():
            d = Designation.objects.create(
                organization=org,
                year=year,
                industry=industry,
                note=(note or "").strip()[:500],
                designated_by=actor,
            )
            audit.record(d, "ipservices.designation.granted", actor=actor, data={"year": year})
    except IntegrityError as exc:
        raise ValidationError(
            _("%(org)s is already designated for %(year)s.") % {"org": org.name, "year": year}
        ) from exc
    return d


def revoke(designation: Designation, *, actor: Any, reason: str) -> Designation:
    _check_operator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for revoking.")})
    with transaction.atomic():
        rows = Designation.objects.filter(pk=designation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoke_reason=reason[:500]
        )
        if rows != 1:
            raise ValidationError(_("This designation was already revoked."))
        designation.refresh_from_db()
        audit.record(designation, "ipservices.designation.revoked", actor=actor, message=reason[:500])
    return designation


def save_provider(org: Any, *, actor: Any, values: dict[str, Any]) -> ServiceProvider:
    """Register (or change) an organisation as an IP service provider (operators)."""
    _check_operator(actor)
    from techbridge.organizations.choices import OrgKind, OrgStatus

    if org.status != OrgStatus.APPROVED or org.kind not in (
        OrgKind.SERVICE,
        OrgKind.GOVERNMENT,
        OrgKind.INSTITUTE,
    ):
        raise ValidationError(
            _(
                "Providers are approved service institutions, "
                "research institutes or public bodies (the centre)."
            )
        )
    fields = ("role", "offers_analysis", "offers_assistance", "is_active", "description")
    with transaction.atomic():
        provider = ServiceProvider.objects.filter(organization=org).first()
        creating = provider is None
        if provider is None:
            provider = ServiceProvider(organization=org)
        for key in fields:
            if key in values:
                setattr(provider, key, values[key])
        provider.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                provider.save()
        except IntegrityError as exc:
            raise ValidationError(_("Someone else registered this provider a moment ago.")) from exc
        audit.record(
            provider,
            "ipservices.provider.registered" if creating else "ipservices.provider.updated",
            actor=actor,
            data={k: values[k] for k in fields if k in values},
        )
    return provider
