"""Who may see and change carriers, reports, enterprise records and cases.

Look-up helpers (``carrier_for`` …) return the record or raise ``Http404`` when the user may not see it;
checks (``check_manage_carrier`` …) raise ``PermissionDenied`` with the reason; predicates
(``can_manage_carrier`` …) answer for buttons and menus. Pages, the API and the services call these,
never a copy of the rule:

- a carrier is public once approved; before that its operating organisation's members and console users
  (reviewers, operators, officials) see it. Its organisation's admins, the member who registered it and
  platform operators change it; reviewers and operators review it;
- annual reports and evaluations: the carrier's organisation and console users;
- designations: public while valid; recorded and revoked by reviewers and operators;
- R&D input: the enterprise itself (its admins report it) and console users;
- projects: members of the parties and console users; the lead's admins, the creator and operators edit;
- alliances: public; operators register them, operators and the lead's admins keep the members;
- typical cases: public once published; reviewers and operators write them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import deny, signed_in
from techbridge.core.roles import Role, is_console_user, is_operator, is_staff_reviewer
from techbridge.organizations.choices import OrgKind, OrgStatus

from .choices import CarrierStatus, CaseStatus, ReportStatus
from .models import Alliance, AnnualReport, Carrier, Project, RdInput, TypicalCase


def _org_id(user: Any) -> int | None:
    return getattr(user, "organization_id", None) if signed_in(user) else None


def _is_org_admin(user: Any, org_id: int | None) -> bool:
    return bool(org_id and _org_id(user) == org_id and user.role == Role.ORG_ADMIN)


# ---- carriers -------------------------------------------------------------------------------------------


def carriers_visible_q(user: Any) -> Q:
    public = Q(status=CarrierStatus.APPROVED)
    if is_console_user(user):
        return Q()
    org = _org_id(user)
    return public | Q(operator_id=org) if org else public


def _member_of_approved(user: Any) -> bool:
    """A member or admin (not staff, not an official) of an approved organisation."""
    org = getattr(user, "organization", None) if signed_in(user) else None
    return bool(
        org is not None
        and org.status == OrgStatus.APPROVED
        and org.kind not in (OrgKind.OPERATOR, OrgKind.GOVERNMENT)
        and user.role in (Role.MEMBER, Role.ORG_ADMIN)
    )


def can_register_carrier(user: Any) -> bool:
    """Members of an approved organisation register the carriers it runs; operators register any."""
    return is_operator(user) or _member_of_approved(user)


def check_register_carrier(user: Any) -> None:
    if not can_register_carrier(user):
        deny(_("Only members of an approved organisation can register a carrier."))


def can_manage_carrier(user: Any, carrier: Carrier) -> bool:
    """The operating organisation's admins, the member who registered it, and platform operators."""
    if is_operator(user):
        return True
    if _org_id(user) != carrier.operator_id or carrier.operator_id is None:
        return False
    return user.role == Role.ORG_ADMIN or carrier.created_by_id == user.pk


def check_manage_carrier(user: Any, carrier: Carrier) -> None:
    if not can_manage_carrier(user, carrier):
        deny(_("Only the organisation that runs this carrier can change it."))


def check_record_firms(user: Any, carrier: Carrier) -> None:
    if not can_manage_carrier(user, carrier):
        deny(_("Only the organisation that runs this carrier can record its firms."))


def can_see_firms(user: Any, carrier: Carrier) -> bool:
    """The firm records: the carrier's managers and console users."""
    return can_manage_carrier(user, carrier) or is_console_user(user)


def check_see_firms(user: Any, carrier: Carrier) -> None:
    if not can_see_firms(user, carrier):
        deny(_("Only the organisation that runs this carrier sees its firm records."))


def can_review(user: Any) -> bool:
    return is_staff_reviewer(user)


def check_review_carriers(user: Any) -> None:
    if not can_review(user):
        deny(_("Only platform reviewers can review carriers."))


def carrier_for(user: Any, pk: int, queryset: QuerySet[Carrier] | None = None) -> Carrier:
    qs = queryset if queryset is not None else Carrier.objects.all()
    carrier = qs.filter(carriers_visible_q(user), pk=pk).first()
    if carrier is None:
        raise Http404
    return carrier


def managed_carrier_for(user: Any, pk: int) -> Carrier:
    carrier = carrier_for(user, pk)
    check_manage_carrier(user, carrier)
    return carrier


def can_see_reports(user: Any, carrier: Carrier) -> bool:
    return is_console_user(user) or (_org_id(user) is not None and _org_id(user) == carrier.operator_id)


def report_for(user: Any, pk: int) -> AnnualReport:
    report = AnnualReport.objects.select_related("carrier", "carrier__operator").filter(pk=pk).first()
    if report is None or not can_see_reports(user, report.carrier):
        raise Http404
    return report


def can_edit_report(user: Any, report: AnnualReport) -> bool:
    return report.editable and can_manage_carrier(user, report.carrier)


def can_review_report(user: Any, report: AnnualReport) -> bool:
    return report.status == ReportStatus.SUBMITTED and is_staff_reviewer(user)


def check_file_reports(user: Any, carrier: Carrier) -> None:
    if not can_manage_carrier(user, carrier):
        deny(_("Only the organisation that runs this carrier can file its reports."))


def check_review_reports(user: Any) -> None:
    if not can_review(user):
        deny(_("Only platform reviewers can review annual reports."))


def check_evaluate(user: Any) -> None:
    if not can_review(user):
        deny(_("Only platform reviewers can evaluate carriers."))


def can_change_formulas(user: Any) -> bool:
    """Operators draft evaluation formulas and put them into use."""
    return is_operator(user)


def check_change_formulas(user: Any) -> None:
    if not can_change_formulas(user):
        deny(_("Only platform operators can change evaluation formulas."))


# ---- enterprises ------------------------------------------------------------------------------------------


def can_record_designations(user: Any) -> bool:
    return is_staff_reviewer(user)


def check_record_designations(user: Any) -> None:
    if not can_record_designations(user):
        deny(_("Only platform reviewers and operators record designations."))


def can_report_rd_input(user: Any) -> bool:
    """Admins of an approved enterprise report its yearly R&D input."""
    org = getattr(user, "organization", None) if signed_in(user) else None
    return bool(
        org is not None
        and org.kind == OrgKind.ENTERPRISE
        and org.status == OrgStatus.APPROVED
        and user.role == Role.ORG_ADMIN
    )


def check_report_rd_input(user: Any) -> None:
    if not can_report_rd_input(user):
        deny(_("The admins of an approved enterprise report its R&D input."))


def rd_inputs_visible(user: Any) -> QuerySet[RdInput]:
    qs = RdInput.objects.select_related("organization")
    if is_console_user(user):
        return qs
    org = _org_id(user)
    return qs.filter(organization_id=org) if org else qs.none()


def projects_visible_q(user: Any) -> Q:
    if is_console_user(user):
        return Q()
    org = _org_id(user)
    if not org:
        return Q(pk__in=[])
    return Q(lead_id=org) | Q(parties__organization_id=org)


def visible_projects(user: Any) -> QuerySet[Project]:
    ids = Project.objects.filter(projects_visible_q(user)).values("pk")
    return Project.objects.filter(pk__in=ids)


def can_create_project(user: Any) -> bool:
    return is_operator(user) or _member_of_approved(user)


def check_create_project(user: Any) -> None:
    if not can_create_project(user):
        deny(_("Only members of an approved organisation can register projects."))


def can_edit_project(user: Any, project: Project) -> bool:
    if is_operator(user):
        return True
    if _org_id(user) != project.lead_id:
        return False
    return user.role == Role.ORG_ADMIN or project.created_by_id == user.pk


def check_edit_project(user: Any, project: Project) -> None:
    if not can_edit_project(user, project):
        deny(_("Only the lead organisation of this project can change it."))


def project_for(user: Any, pk: int) -> Project:
    project = visible_projects(user).select_related("lead", "zone").filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def edited_project_for(user: Any, pk: int) -> Project:
    project = project_for(user, pk)
    check_edit_project(user, project)
    return project


def can_register_alliances(user: Any) -> bool:
    return is_operator(user)


def check_register_alliances(user: Any) -> None:
    if not can_register_alliances(user):
        deny(_("Only platform operators register alliances."))


def can_manage_alliance(user: Any, alliance: Alliance) -> bool:
    return is_operator(user) or _is_org_admin(user, alliance.lead_id)


def check_manage_alliance(user: Any, alliance: Alliance) -> None:
    if not can_manage_alliance(user, alliance):
        deny(_("Only the alliance's lead organisation and platform operators keep its record and members."))


def alliance_for(user: Any, pk: int) -> Alliance:
    alliance = Alliance.objects.select_related("lead", "zone").filter(pk=pk).first()
    if alliance is None:
        raise Http404
    return alliance


def managed_alliance_for(user: Any, pk: int) -> Alliance:
    alliance = alliance_for(user, pk)
    check_manage_alliance(user, alliance)
    return alliance


# ---- cases ------------------------------------------------------------------------------------------------


def can_write_cases(user: Any) -> bool:
    return is_staff_reviewer(user)


def check_write_cases(user: Any) -> None:
    if not can_write_cases(user):
        deny(_("Only platform reviewers and operators write typical cases."))


def cases_visible_q(user: Any) -> Q:
    return Q() if can_write_cases(user) else Q(status=CaseStatus.PUBLISHED)


def case_for(user: Any, pk: int) -> TypicalCase:
    case = TypicalCase.objects.filter(cases_visible_q(user), pk=pk).select_related("zone", "carrier").first()
    if case is None:
        raise Http404
    return case
