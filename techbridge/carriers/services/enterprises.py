"""Enterprise records: designations, yearly R&D input, 产学研 projects and innovation alliances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import record_created, transition
from techbridge.organizations.choices import OrgKind
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from .. import permissions
from ..choices import AllianceStatus, DesignationKind, DesignationStatus, MemberRole, PartyRole, ProjectStatus
from ..models import Alliance, AllianceMember, Designation, Project, ProjectMilestone, ProjectParty, RdInput

# ---- designations ----------------------------------------------------------------------------------

DESIGNATION_FIELDS = ("kind", "year", "granted_on", "valid_until", "issuer", "certificate_no", "evidence")
# 高新技术企业 certificates are valid for three years (高新技术企业认定管理办法, 2016, art. 6).
HIGH_TECH_YEARS = 3


def default_valid_until(kind: str, granted_on: dt.date | None) -> dt.date | None:
    if kind == DesignationKind.HIGH_TECH and granted_on is not None:
        try:
            return granted_on.replace(year=granted_on.year + HIGH_TECH_YEARS) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            return granted_on.replace(year=granted_on.year + HIGH_TECH_YEARS, day=28)
    return None


def record_designation(
    organization: Organization, *, actor: Any, data: dict[str, Any], is_demo: bool = False
) -> Designation:
    """Record a designation of an enterprise from the issuing department's list, with its evidence."""
    permissions.check_record_designations(actor)
    if organization.kind != OrgKind.ENTERPRISE:
        raise ValidationError({"organization": _("Only enterprises receive these designations.")})
    unknown = set(data) - set(DESIGNATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    data = dict(data)
    if not data.get("valid_until"):
        data["valid_until"] = default_valid_until(data.get("kind", ""), data.get("granted_on"))
    designation = Designation(organization=organization, created_by=actor, is_demo=is_demo, **data)
    designation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            designation.save()
            record_created(designation, actor=actor, action="carriers.designation.recorded")
    except IntegrityError:
        raise ValidationError(
            {
                "kind": _("This enterprise already has this designation for %(year)s.")
                % {"year": designation.year}
            }
        ) from None
    return designation


def revoke_designation(
    designation: Designation, *, actor: Any, reason: str, on: dt.date | None = None
) -> None:
    permissions.check_record_designations(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    transition(
        designation,
        DesignationStatus.REVOKED,
        actor=actor,
        action="carriers.designation.revoked",
        message=reason,
        changes={"revoked_on": on or timezone.localdate(), "revoke_reason": reason[:1000]},
    )


# ---- R&D input ------------------------------------------------------------------------------------------

RD_FIELDS = ("rd_expenditure", "revenue", "rd_staff", "staff_total", "cooperation_spend", "note")


def report_rd_input(*, actor: Any, year: int, data: dict[str, Any]) -> tuple[RdInput, bool]:
    """The actor's enterprise reports (or corrects) its R&D input of ``year``; returns (row, created)."""
    permissions.check_report_rd_input(actor)
    if year > timezone.localdate().year or year < 1980:
        raise ValidationError({"year": _("Give a year from 1980 up to this year.")})
    unknown = set(data) - set(RD_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        row = RdInput.objects.filter(organization_id=actor.organization_id, year=year).first()
        created = row is None
        if row is None:
            row = RdInput(organization_id=actor.organization_id, year=year)
        changed = [k for k, v in data.items() if getattr(row, k) != v]
        for key, value in data.items():
            setattr(row, key, value)
        row.reported_by = actor
        row.reported_at = timezone.now()
        row.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(
                {"year": _("This year was reported a moment ago; reload the page.")}
            ) from None
        audit.record(
            row,
            "carriers.rd_input.reported" if created else "carriers.rd_input.corrected",
            actor=actor,
            data={"year": year, "fields": sorted(changed)},
        )
    return row, created


# ---- projects -------------------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "title",
    "kind",
    "summary",
    "budget",
    "public_funding",
    "starts_on",
    "ends_on",
    "outputs",
    "district",
    "zone",
)
MAX_PARTIES = 20
MAX_LINKS = 50
MAX_MILESTONES = 50


def _check(data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


def _linkable(actor: Any, achievements: Iterable[Any] | None, contracts: Iterable[Any] | None) -> None:
    """A project links only achievements that are public or its parties', and contracts the actor sees."""
    from techbridge.contracts.queries import contracts_for, visible_to_registry
    from techbridge.core.roles import is_staff_reviewer
    from techbridge.core.workflow import ReviewStatus

    if achievements is not None:
        achievements = list(achievements)
        if len(achievements) > MAX_LINKS:
            raise ValidationError({"achievements": _("At most %(n)s linked records.") % {"n": MAX_LINKS}})
        for a in achievements:
            if (
                a.status != ReviewStatus.PUBLISHED
                and a.owner_id != getattr(actor, "organization_id", None)
                and not is_staff_reviewer(actor)
            ):
                raise ValidationError({"achievements": _("“%(title)s” is not public.") % {"title": a.title}})
    if contracts is not None:
        contracts = list(contracts)
        if len(contracts) > MAX_LINKS:
            raise ValidationError({"contracts": _("At most %(n)s linked records.") % {"n": MAX_LINKS}})
        allowed = set(contracts_for(actor).values_list("pk", flat=True)) | set(
            visible_to_registry(actor).values_list("pk", flat=True)
        )
        for c in contracts:
            if c.pk not in allowed:
                raise ValidationError(
                    {"contracts": _("Contract %(number)s is not one of yours.") % {"number": c.number}}
                )


def _set_parties(project: Project, parties: Iterable[tuple[Organization, str]]) -> bool:
    wanted = {org.pk: role for org, role in parties if org.pk != project.lead_id}
    if len(wanted) > MAX_PARTIES:
        raise ValidationError({"parties": _("At most %(n)s parties.") % {"n": MAX_PARTIES}})
    for role in wanted.values():
        if role not in PartyRole.values or role == PartyRole.LEAD:
            raise ValidationError({"parties": _("Unknown role of a party.")})
    wanted[project.lead_id] = PartyRole.LEAD
    before = {p.organization_id: p.role for p in project.parties.all()}
    if before == wanted:
        return False
    project.parties.exclude(organization_id__in=list(wanted)).delete()
    for org_id, role in wanted.items():
        ProjectParty.objects.update_or_create(
            project=project, organization_id=org_id, defaults={"role": role}
        )
    return True


def create_project(
    *,
    actor: Any,
    data: dict[str, Any],
    parties: Iterable[tuple[Organization, str]] = (),
    achievements: Iterable[Any] = (),
    contracts: Iterable[Any] = (),
    lead: Organization | None = None,
    is_demo: bool = False,
) -> Project:
    """A project led by the actor's organisation (operators may name the ``lead``)."""
    from techbridge.core.roles import is_operator

    permissions.check_create_project(actor)
    if lead is None or not is_operator(actor):
        lead = actor.organization
    if lead is None:
        raise ValidationError({"lead": _("Choose the lead organisation.")})
    _check(data, PROJECT_FIELDS)
    achievements, contracts = list(achievements), list(contracts)
    _linkable(actor, achievements, contracts)
    project = Project(**data, lead=lead, created_by=actor, is_demo=is_demo)
    project.full_clean(validate_constraints=False)
    with transaction.atomic():
        project.save()
        _set_parties(project, parties)
        project.achievements.set(achievements)
        project.contracts.set(contracts)
        record_created(project, actor=actor, action="carriers.project.created")
    return project


def update_project(
    project: Project,
    *,
    actor: Any,
    data: dict[str, Any],
    parties: Iterable[tuple[Organization, str]] | None = None,
    achievements: Iterable[Any] | None = None,
    contracts: Iterable[Any] | None = None,
) -> list[str]:
    permissions.check_edit_project(actor, project)
    _check(data, PROJECT_FIELDS)
    achievements = list(achievements) if achievements is not None else None
    contracts = list(contracts) if contracts is not None else None
    _linkable(actor, achievements, contracts)
    changed = [k for k, v in data.items() if getattr(project, k) != v]
    for key, value in data.items():
        setattr(project, key, value)
    project.full_clean(validate_constraints=False)
    with transaction.atomic():
        project.updated_at = timezone.now()
        project.save(update_fields=[*data, "updated_at"])
        if parties is not None and _set_parties(project, parties):
            changed.append("parties")
        for name, values in (("achievements", achievements), ("contracts", contracts)):
            if values is None:
                continue
            manager = getattr(project, name)
            if set(manager.values_list("pk", flat=True)) != {v.pk for v in values}:
                manager.set(values)
                changed.append(name)
        if changed:
            audit.record(project, "carriers.project.updated", actor=actor, data={"fields": sorted(changed)})
    return changed


PROJECT_MOVES: dict[str, str] = {
    ProjectStatus.ONGOING: "carriers.project.started",
    ProjectStatus.COMPLETED: "carriers.project.completed",
    ProjectStatus.TERMINATED: "carriers.project.terminated",
}


def move_project(project: Project, *, actor: Any, to: str, note: str = "") -> None:
    permissions.check_edit_project(actor, project)
    if to not in PROJECT_MOVES:
        raise ValidationError(_("Unknown step."))
    transition(project, to, actor=actor, action=PROJECT_MOVES[to], message=(note or "")[:1000])


def add_milestone(
    project: Project, *, actor: Any, title: str, due_on: dt.date, note: str = ""
) -> ProjectMilestone:
    permissions.check_edit_project(actor, project)
    if project.milestones.count() >= MAX_MILESTONES:
        raise ValidationError(_("At most %(n)s milestones.") % {"n": MAX_MILESTONES})
    milestone = ProjectMilestone(project=project, title=title, due_on=due_on, note=note)
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
        audit.record(
            project, "carriers.milestone.added", actor=actor, data={"milestone": milestone.pk, "title": title}
        )
    return milestone


def complete_milestone(milestone: ProjectMilestone, *, actor: Any, on: dt.date | None = None) -> None:
    permissions.check_edit_project(actor, milestone.project)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    with transaction.atomic():
        rows = ProjectMilestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=day)
        if rows != 1:
            raise ValidationError(_("This milestone is already marked as reached."))
        milestone.done_on = day
        audit.record(
            milestone.project,
            "carriers.milestone.reached",
            actor=actor,
            data={"milestone": milestone.pk, "on": str(day)},
        )


# ---- alliances ------------------------------------------------------------------------------------------

ALLIANCE_FIELDS = ("name", "founded_on", "description", "website", "district", "zone")


def register_alliance(
    *,
    actor: Any,
    lead: Organization,
    data: dict[str, Any],
    fields: Iterable[IndustryField] = (),
    is_demo: bool = False,
) -> Alliance:
    """Register an alliance; its lead organisation becomes its first member (the chair)."""
    permissions.check_register_alliances(actor)
    _check(data, ALLIANCE_FIELDS)
    alliance = Alliance(**data, lead=lead, created_by=actor, is_demo=is_demo)
    alliance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            alliance.save()
            alliance.fields.set(list(fields))
            AllianceMember.objects.create(
                alliance=alliance, organization=lead, role=MemberRole.CHAIR, joined_on=alliance.founded_on
            )
            record_created(alliance, actor=actor, action="carriers.alliance.registered")
    except IntegrityError:
        raise ValidationError({"name": _("An alliance with this name is already registered.")}) from None
    return alliance


def update_alliance(
    alliance: Alliance, *, actor: Any, data: dict[str, Any], fields: Iterable[IndustryField] | None = None
) -> list[str]:
    permissions.check_manage_alliance(actor, alliance)
    _check(data, ALLIANCE_FIELDS)
    changed = [k for k, v in data.items() if getattr(alliance, k) != v]
    for key, value in data.items():
        setattr(alliance, key, value)
    alliance.full_clean(validate_constraints=False)
    with transaction.atomic():
        alliance.updated_at = timezone.now()
        try:
            with transaction.atomic():
                alliance.save(update_fields=[*data, "updated_at"])
        except IntegrityError:
            raise ValidationError({"name": _("An alliance with this name is already registered.")}) from None
        if fields is not None:
            fields = list(fields)
            if set(alliance.fields.values_list("pk", flat=True)) != {f.pk for f in fields}:
                alliance.fields.set(fields)
                changed.append("fields")
        if changed:
            audit.record(alliance, "carriers.alliance.updated", actor=actor, data={"fields": sorted(changed)})
    return changed


def add_member(
    alliance: Alliance, *, actor: Any, organization: Organization, role: str, joined_on: dt.date
) -> AllianceMember:
    permissions.check_manage_alliance(actor, alliance)
    if alliance.status != AllianceStatus.ACTIVE:
        raise ValidationError(_("A dissolved alliance takes no new members."))
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("The date cannot be in the future.")})
    member = AllianceMember(alliance=alliance, organization=organization, role=role, joined_on=joined_on)
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
            audit.record(
                alliance,
                "carriers.member.joined",
                actor=actor,
                data={"organization": organization.pk, "name": organization.name, "role": role},
            )
    except IntegrityError:
        raise ValidationError(
            {"organization": _("%(name)s is already a member.") % {"name": organization.name}}
        ) from None
    return member


def remove_member(member: AllianceMember, *, actor: Any, on: dt.date | None = None) -> None:
    """The organisation leaves the alliance on ``on`` (the record of its membership stays)."""
    alliance = member.alliance
    permissions.check_manage_alliance(actor, alliance)
    if member.organization_id == alliance.lead_id:
        raise ValidationError(_("The lead organisation cannot leave its own alliance."))
    day = on or timezone.localdate()
    if day < member.joined_on:
        raise ValidationError({"on": _("A member cannot leave before it joined.")})
    with transaction.atomic():
        rows = AllianceMember.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=day)
        if rows != 1:
            raise ValidationError(_("This organisation has already left."))
        member.left_on = day
        audit.record(
            alliance,
            "carriers.member.left",
            actor=actor,
            data={"organization": member.organization_id, "name": member.organization.name},
        )


def set_alliance_status(alliance: Alliance, *, actor: Any, active: bool) -> None:
    permissions.check_register_alliances(actor)
    if active:
        transition(alliance, AllianceStatus.ACTIVE, actor=actor, action="carriers.alliance.reactivated")
    else:
        transition(alliance, AllianceStatus.DISSOLVED, actor=actor, action="carriers.alliance.dissolved")
