"""Who may see and change what in technology finance: look-ups (``request_for``) that 404, checks that
raise ``PermissionDenied`` with the reason, predicates for buttons.

- investor profiles: a member of an approved investor, service institution or government department
  creates one; the platform operator qualifies it; qualified profiles are public, the others are seen by
  their organisation and console users;
- financing requests: members of an approved enterprise, university or institute post them; a request
  is seen by its organisation, by the people of a qualified investor (while open or funded) and by
  console users; its business plan only by its organisation and by an investor who accepted the NDA;
- introductions: seen by both sides and console users; each side consents for itself; both sides record
  the pipeline, only the investor records money invested or lent.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import deny, signed_in
from techbridge.core.roles import Role, is_console_user, is_operator
from techbridge.organizations.choices import OrgKind, OrgStatus

from .choices import InvestorStatus, RequestStatus
from .models import FinancingRequest, Introduction, Investor

REQUESTER_KINDS = (OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE)
INVESTOR_ORG_KINDS = (OrgKind.INVESTOR, OrgKind.SERVICE, OrgKind.GOVERNMENT)
SEEN_BY_INVESTORS = (RequestStatus.OPEN, RequestStatus.FUNDED)


def _member(user: Any) -> bool:
    return bool(
        signed_in(user)
        and user.organization_id is not None
        and user.role in (Role.MEMBER, Role.ORG_ADMIN)
        and user.organization.status == OrgStatus.APPROVED
    )


def in_org(user: Any, organization_id: int | None) -> bool:
    return bool(_member(user) and organization_id is not None and user.organization_id == organization_id)


# ---- investors


def can_create_investor(user: Any) -> bool:
    return _member(user) and user.organization.kind in INVESTOR_ORG_KINDS


def check_create_investor(user: Any) -> None:
    if not can_create_investor(user):
        deny(_("Only members of an approved investor, service institution or department register investors."))


def qualified_investors_of(user: Any) -> QuerySet[Investor]:
    if not _member(user):
        return Investor.objects.none()
    return Investor.objects.filter(organization_id=user.organization_id, status=InvestorStatus.QUALIFIED)


def is_qualified_investor(user: Any) -> bool:
    return qualified_investors_of(user).exists()


def investors_visible_q(user: Any) -> Q:
    if is_console_user(user):
        return Q()
    q = Q(status=InvestorStatus.QUALIFIED)
    if _member(user):
        q |= Q(organization_id=user.organization_id)
    return q


def visible_investors(user: Any) -> QuerySet[Investor]:
    return Investor.objects.filter(investors_visible_q(user))


def investor_for(user: Any, pk: int) -> Investor:
    inv = visible_investors(user).select_related("organization").filter(pk=pk).first()
    if inv is None:
        raise Http404
    return inv


def can_manage_investor(user: Any, investor: Investor) -> bool:
    return in_org(user, investor.organization_id)


def check_manage_investor(user: Any, investor: Investor) -> None:
    if not can_manage_investor(user, investor):
        deny(_("Only the investor's own people change its profile and products."))


def can_qualify(user: Any) -> bool:
    return is_operator(user)


def check_qualify(user: Any) -> None:
    if not can_qualify(user):
        deny(_("Only platform operators qualify investors."))


# ---- financing requests


def can_post_request(user: Any) -> bool:
    return _member(user) and user.organization.kind in REQUESTER_KINDS


def check_post_request(user: Any) -> None:
    if not can_post_request(user):
        deny(_("Only members of an approved enterprise, university or institute post financing requests."))


def requests_visible_q(user: Any) -> Q:
    if is_console_user(user):
        return Q()
    if not _member(user):
        return Q(pk__in=[])
    q = Q(organization_id=user.organization_id)
    if is_qualified_investor(user):
        q |= Q(status__in=SEEN_BY_INVESTORS)
    return q


def visible_requests(user: Any) -> QuerySet[FinancingRequest]:
    return FinancingRequest.objects.filter(requests_visible_q(user))


def request_for(user: Any, pk: int) -> FinancingRequest:
    req = visible_requests(user).select_related("organization").filter(pk=pk).first()
    if req is None:
        raise Http404
    return req


def can_edit_request(user: Any, req: FinancingRequest) -> bool:
    return in_org(user, req.organization_id)


def check_edit_request(user: Any, req: FinancingRequest) -> None:
    if not can_edit_request(user, req):
        deny(_("Only the requesting organisation changes its financing request."))


def nda_investor(user: Any, req: FinancingRequest) -> Investor | None:
    """The user's qualified investor that accepted the NDA of ``req`` (None: none did)."""
    return qualified_investors_of(user).filter(ndas__request=req).first()


def can_read_plan(user: Any, req: FinancingRequest) -> bool:
    return can_edit_request(user, req) or nda_investor(user, req) is not None


def check_read_plan(user: Any, req: FinancingRequest) -> None:
    if not can_read_plan(user, req):
        deny(_("The business plan is shown only after your investor accepts the confidentiality agreement."))


def can_accept_nda(user: Any, req: FinancingRequest) -> bool:
    return req.status in SEEN_BY_INVESTORS and is_qualified_investor(user) and not can_edit_request(user, req)


# ---- introductions


def side_of(user: Any, intro: Introduction) -> str | None:
    from .choices import Side

    if in_org(user, intro.request.organization_id):
        return Side.ENTERPRISE
    if in_org(user, intro.investor.organization_id):
        return Side.INVESTOR
    return None


def introductions_visible_q(user: Any) -> Q:
    if is_console_user(user):
        return Q()
    if not _member(user):
        return Q(pk__in=[])
    return Q(request__organization_id=user.organization_id) | Q(
        investor__organization_id=user.organization_id
    )


def visible_introductions(user: Any) -> QuerySet[Introduction]:
    return Introduction.objects.filter(introductions_visible_q(user))


def introduction_for(user: Any, pk: int) -> Introduction:
    intro = (
        visible_introductions(user)
        .select_related("request", "request__organization", "investor", "investor__organization", "product")
        .filter(pk=pk)
        .first()
    )
    if intro is None:
        raise Http404
    return intro


def check_side(user: Any, intro: Introduction) -> str:
    side = side_of(user, intro)
    if side is None:
        deny(_("Only the enterprise and the investor of this introduction act on it."))
    return side
