"""Who may see and do what in IP services (one place; views, the API, services and templates call these).

- The register and patent navigation are public (published patent data); downloads of navigation
  reports need a signed-in user; staff (reviewers, operators) define industries, correct legal status
  and generate reports.
- Early warning is for members of approved enterprises: their products and alerts are seen by their
  own organisation only.
- Analysis requests are seen by the requesting organisation, the provider's members and staff; the
  provider's members accept and answer them.
- Assistance requests (and their evidence files) are seen by the applicant organisation, the members
  of the provider they are routed to and staff; department officials see statistics only.
- Operators register IP service providers and designate IP-intensive enterprises.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from techbridge.core.permissions import deny, has_organization, hide, signed_in
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer
from techbridge.organizations.choices import OrgKind, OrgStatus

from .choices import AnalysisStatus, AssistanceStatus
from .models import AnalysisRequest, AssistanceRequest, EvidenceFile, PatentAlert, WatchedProduct

# Organisations that ask for assistance: everyone who may hold or use IP, not the platform or a department.
ASSISTANCE_KINDS = frozenset(
    {OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.SERVICE, OrgKind.INVESTOR}
)

WATCH_MESSAGE = _("Patent early warning is for members of approved enterprises.")
ASSIST_MESSAGE = _("Assistance requests are made by members of approved organisations.")


def _approved_org(user: Any) -> Any:
    if not has_organization(user):
        return None
    org = user.organization
    return org if org.status == OrgStatus.APPROVED else None


# ---- predicates (buttons, menus, role checks) ---------------------------------------------------------


def may_watch(user: Any) -> bool:
    """Members of an approved enterprise register products and receive alerts."""
    org = _approved_org(user)
    return org is not None and org.kind == OrgKind.ENTERPRISE


def may_request_assistance(user: Any) -> bool:
    org = _approved_org(user)
    return org is not None and org.kind in ASSISTANCE_KINDS


def is_provider_member(user: Any) -> bool:
    """Members of an active IP service provider (they handle analysis and assistance requests)."""
    org = _approved_org(user)
    provider = getattr(org, "ip_provider", None) if org is not None else None
    return bool(provider is not None and provider.is_active)


def may_use_ip_work(user: Any) -> bool:
    """Who sees the "IP work" page: requesters and providers."""
    return may_watch(user) or may_request_assistance(user) or is_provider_member(user)


def may_manage_register(user: Any) -> bool:
    return is_staff_reviewer(user)


def may_view_statistics(user: Any) -> bool:
    return is_console_user(user)


def may_designate(user: Any) -> bool:
    return is_operator(user)


def _member_of(user: Any, org_id: int | None) -> bool:
    return bool(org_id is not None and has_organization(user) and user.organization_id == org_id)


def _provider_org_id(provider: Any) -> int | None:
    return provider.organization_id if provider is not None else None


# ---- products and alerts ------------------------------------------------------------------------------


def products_of(user: Any) -> QuerySet[WatchedProduct]:
    if not may_watch(user):
        return WatchedProduct.objects.none()
    return WatchedProduct.objects.filter(organization_id=user.organization_id)


def product_for(user: Any, pk: int) -> WatchedProduct:
    """The user's organisation's product, or 404 (another organisation's products do not exist for it)."""
    if not may_watch(user):
        deny(WATCH_MESSAGE)
    return get_object_or_404(WatchedProduct, pk=pk, organization_id=user.organization_id)


def alerts_of(user: Any) -> QuerySet[PatentAlert]:
    if not may_watch(user):
        return PatentAlert.objects.none()
    return PatentAlert.objects.filter(organization_id=user.organization_id)


def alert_for(user: Any, pk: int) -> PatentAlert:
    if not may_watch(user):
        deny(WATCH_MESSAGE)
    return get_object_or_404(
        PatentAlert.objects.select_related("product", "patent"), pk=pk, organization_id=user.organization_id
    )


# ---- analysis requests --------------------------------------------------------------------------------


def analysis_requests_for(user: Any) -> QuerySet[AnalysisRequest]:
    """Requests the user may read: of their organisation, routed to their organisation, or all (staff)."""
    qs = AnalysisRequest.objects.select_related("organization", "provider__organization", "patent")
    if is_staff_reviewer(user):
        return qs
    if not has_organization(user):
        return qs.none()
    return qs.filter(
        Q(organization_id=user.organization_id) | Q(provider__organization_id=user.organization_id)
    )


def analysis_for(user: Any, pk: int) -> AnalysisRequest:
    if not signed_in(user):
        hide()
    return get_object_or_404(analysis_requests_for(user), pk=pk)


def can_handle_analysis(user: Any, req: AnalysisRequest) -> bool:
    return _member_of(user, _provider_org_id(req.provider)) and is_provider_member(user)


def can_withdraw_analysis(user: Any, req: AnalysisRequest) -> bool:
    return _member_of(user, req.organization_id) and req.status in (
        AnalysisStatus.SUBMITTED,
        AnalysisStatus.ACCEPTED,
    )


# ---- assistance requests ------------------------------------------------------------------------------


def assistance_requests_for(user: Any) -> QuerySet[AssistanceRequest]:
    """Requests the user may read: the applicant's own, those routed to the user's organisation (not
    drafts), or every submitted one (staff)."""
    qs = AssistanceRequest.objects.select_related("applicant", "provider__organization", "industry")
    if is_staff_reviewer(user):
        return qs.exclude(status=AssistanceStatus.DRAFT)
    if not has_organization(user):
        return qs.none()
    return qs.filter(
        Q(applicant_id=user.organization_id)
        | (Q(provider__organization_id=user.organization_id) & ~Q(status=AssistanceStatus.DRAFT))
    )


def assistance_for(user: Any, pk: int) -> AssistanceRequest:
    if not signed_in(user):
        hide()
    return get_object_or_404(assistance_requests_for(user), pk=pk)


def is_applicant(user: Any, req: AssistanceRequest) -> bool:
    return _member_of(user, req.applicant_id)


def is_handler(user: Any, req: AssistanceRequest) -> bool:
    return _member_of(user, _provider_org_id(req.provider)) and is_provider_member(user)


def can_edit_assistance(user: Any, req: AssistanceRequest) -> bool:
    return is_applicant(user, req) and req.status == AssistanceStatus.DRAFT


def can_add_evidence(user: Any, req: AssistanceRequest) -> bool:
    if req.status in (AssistanceStatus.DRAFT, AssistanceStatus.SUBMITTED, AssistanceStatus.ACCEPTED):
        if is_applicant(user, req):
            return True
    return req.status == AssistanceStatus.ACCEPTED and is_handler(user, req)


def can_reroute(user: Any, req: AssistanceRequest) -> bool:
    return is_staff_reviewer(user) and req.status == AssistanceStatus.SUBMITTED


def evidence_for(user: Any, pk: int, file_pk: int) -> EvidenceFile:
    """An evidence file of a request the user may read; 404 otherwise (its existence is not confirmed)."""
    req = assistance_for(user, pk)
    return get_object_or_404(EvidenceFile, pk=file_pk, request=req)
