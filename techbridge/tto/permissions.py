"""Who sees and does what in the technology-transfer office's workbench.

* The **office** of an institution: its organisation admins (a university's or institute's 技术转移办公室).
  They see every case of the institution, assess, decide, file, publish, declare open licences, record
  income, distribute rewards and write the annual report.
* The **inventors** (and the researcher who disclosed): see their own cases and statements; the discloser
  edits and submits the draft.
* Nobody else sees a disclosure — not platform staff, not a peer at another university (404, so its
  existence is not confirmed). Declared open licences are public; anyone signed in with an approved
  organisation other than the holder takes a licence by notice.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from techbridge.core.permissions import deny, hide
from techbridge.core.roles import Role
from techbridge.organizations.choices import OrgKind, OrgStatus

from .choices import DisclosureStatus, LicenceStatus
from .models import Disclosure, LicenceGrant, OpenLicence

RESEARCH_KINDS = (OrgKind.UNIVERSITY, OrgKind.INSTITUTE)
OFFICE_MESSAGE = _(
    "Only the technology-transfer office of the institution (its organisation admins) may do this."
)
DISCLOSE_MESSAGE = _("Researchers of a university or research institute disclose inventions here.")


def is_researcher(user: Any) -> bool:
    org = getattr(user, "organization", None) if getattr(user, "is_authenticated", False) else None
    return bool(org is not None and org.kind in RESEARCH_KINDS)


def is_office(user: Any) -> bool:
    """An organisation admin of a university or institute: its technology-transfer office."""
    return bool(is_researcher(user) and user.role == Role.ORG_ADMIN)


def is_office_of(user: Any, institution_id: int) -> bool:
    return bool(is_office(user) and user.organization_id == institution_id)


def visible_disclosures(user: Any) -> QuerySet[Disclosure]:
    if not getattr(user, "is_authenticated", False):
        return Disclosure.objects.none()
    mine = Q(created_by=user) | Q(inventors__user=user)
    if is_office(user):
        mine |= Q(institution_id=user.organization_id)
    ids = Disclosure.objects.filter(mine).values("pk")
    return Disclosure.objects.filter(pk__in=ids)


def disclosure_for(user: Any, pk: int) -> Disclosure:
    """The case, when the user is its office or one of its inventors; 404 otherwise."""
    obj = (
        visible_disclosures(user)
        .select_related("institution", "achievement", "created_by")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        hide()
    return obj


def office_case_for(user: Any, pk: int) -> Disclosure:
    """The case, for its office only (inventors get a 403 with the reason)."""
    case = disclosure_for(user, pk)
    if not is_office_of(user, case.institution_id):
        deny(OFFICE_MESSAGE)
    return case


def can_edit(user: Any, case: Disclosure) -> bool:
    return case.status == DisclosureStatus.DRAFT and (
        case.created_by_id == getattr(user, "pk", None) or is_office_of(user, case.institution_id)
    )


def editable_case_for(user: Any, pk: int) -> Disclosure:
    case = disclosure_for(user, pk)
    if case.created_by_id != user.pk and not is_office_of(user, case.institution_id):
        deny(_("Only the researcher who disclosed it or the office may change this disclosure."))
    return case


def can_manage(user: Any, case: Disclosure) -> bool:
    return is_office_of(user, case.institution_id)


def public_licences() -> QuerySet[OpenLicence]:
    return OpenLicence.objects.filter(status=LicenceStatus.DECLARED).select_related(
        "application__disclosure__institution"
    )


def licence_for(user: Any, pk: int) -> OpenLicence:
    """A declared licence is public; a withdrawn one only for its office."""
    obj = (
        OpenLicence.objects.select_related(
            "application__disclosure__institution", "application__disclosure__achievement"
        )
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        hide()
    if obj.status != LicenceStatus.DECLARED and not is_office_of(
        user, obj.application.disclosure.institution_id
    ):
        hide()
    return obj


def may_take_licence(user: Any, licence: OpenLicence) -> bool:
    org = getattr(user, "organization", None) if getattr(user, "is_authenticated", False) else None
    return bool(
        org is not None
        and org.status == OrgStatus.APPROVED
        and org.pk != licence.application.disclosure.institution_id
        and licence.status == LicenceStatus.DECLARED
    )


def grant_for(user: Any, pk: int) -> LicenceGrant:
    """A licence by notice: for the licensee and the licensor's office."""
    grant = get_object_or_404(
        LicenceGrant.objects.select_related("licence__application__disclosure", "licensee", "contract"), pk=pk
    )
    org_id = getattr(user, "organization_id", None)
    if org_id != grant.licensee_id and not is_office_of(
        user, grant.licence.application.disclosure.institution_id
    ):
        hide()
    return grant
