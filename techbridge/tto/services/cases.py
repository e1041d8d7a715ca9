"""Disclosures: the researcher's disclosure, the office's assessment and decision, the listing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.roles import Role
from techbridge.core.workflow import TransitionError, record_created, transition

from ..choices import ApplicationStatus, DisclosureStatus, LicenceStatus
from ..models import (
    MAX_FILE_BYTES,
    MAX_FUNDING,
    MAX_INVENTORS,
    Disclosure,
    DisclosureFile,
    FundingSource,
    Inventor,
)
from ..permissions import DISCLOSE_MESSAGE, OFFICE_MESSAGE, is_office_of, is_researcher

CASE_FIELDS = ("title", "summary", "detail", "prior_disclosures", "commercial_notes")
DECISION_CODES: dict[str, str] = {
    DisclosureStatus.PROTECT: "tto.disclosure.protection_decided",
    DisclosureStatus.PUBLISH: "tto.disclosure.publication_decided",
    DisclosureStatus.RELEASE: "tto.disclosure.released",
    DisclosureStatus.EMPOWER: "tto.disclosure.rights_granted",
}
SCORES = ("score_novelty", "score_market", "score_maturity", "score_protectability")


def _share(value: Any) -> Decimal:
    try:
        share = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"inventors": _("Give each inventor's share as a percentage.")}) from None
    if not share.is_finite() or share <= 0 or share > 100:
        raise ValidationError({"inventors": _("Each inventor's share is more than 0 and at most 100 %.")})
    return share.quantize(Decimal("0.01"))


def clean_inventors(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Inventors ``{name, share, user}``: one to 20, distinct names, shares summing to 100 %."""
    if not rows:
        raise ValidationError({"inventors": _("Name at least one inventor.")})
    if len(rows) > MAX_INVENTORS:
        raise ValidationError({"inventors": _("At most %(n)d inventors.") % {"n": MAX_INVENTORS}})
    cleaned: list[dict[str, Any]] = []
    names: set[str] = set()
    for row in rows:
        name = str(row.get("name") or "").strip()[:50]
        if not name:
            raise ValidationError({"inventors": _("Every inventor needs a name.")})
        if name in names:
            raise ValidationError({"inventors": _("%(name)s is named twice.") % {"name": name}})
        names.add(name)
        cleaned.append({"name": name, "share": _share(row.get("share")), "user": row.get("user")})
    total = sum((r["share"] for r in cleaned), Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError(
            {
                "inventors": _("The inventors' shares must sum to 100 %%; they sum to %(total)s %%.")
                % {"total": total}
            }
        )
    return cleaned


def clean_funding(rows: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    if len(rows) > MAX_FUNDING:
        raise ValidationError({"funding": _("At most %(n)d funding sources.") % {"n": MAX_FUNDING}})
    out = []
    for row in rows:
        funder = str(row.get("funder") or "").strip()[:200]
        if not funder:
            raise ValidationError({"funding": _("Every funding source needs a funder.")})
        out.append(
            {
                "funder": funder,
                "grant_number": str(row.get("grant_number") or "").strip()[:100],
                "obligations": str(row.get("obligations") or "").strip()[:1000],
            }
        )
    return out


def _next_number() -> str:
    year = timezone.localdate().year
    prefix = f"TTO-{year}-"
    last = (
        Disclosure.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _set_people(case: Disclosure, inventors: list[dict[str, Any]], funding: list[dict[str, str]]) -> None:
    case.inventors.all().delete()
    Inventor.objects.bulk_create(
        Inventor(disclosure=case, name=r["name"], share=r["share"], user=r["user"], order=i)
        for i, r in enumerate(inventors)
    )
    case.funding.all().delete()
    FundingSource.objects.bulk_create(FundingSource(disclosure=case, **r) for r in funding)


def _check_upload(upload: Any) -> None:
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError({"files": _("A file may be at most 20 MB.")})


def create_disclosure(
    *,
    actor: Any,
    data: dict[str, Any],
    inventors: Sequence[dict[str, Any]],
    funding: Sequence[dict[str, Any]] = (),
    files: Sequence[Any] = (),
    is_demo: bool = False,
) -> Disclosure:
    """A researcher's draft disclosure with its inventors (shares summing to 100 %), funding and files."""
    if not is_researcher(actor):
        raise PermissionDenied(DISCLOSE_MESSAGE)
    people = clean_inventors(inventors)
    money = clean_funding(funding)
    for upload in files:
        _check_upload(upload)
    values = {
        k: (data.get(k) or "").strip() if isinstance(data.get(k), str) else data.get(k) or ""
        for k in CASE_FIELDS
    }
    for _attempt in range(3):
        case = Disclosure(
            institution=actor.organization, number=_next_number(), created_by=actor, is_demo=is_demo, **values
        )
        case.full_clean(exclude=["number"])
        try:
            with transaction.atomic():
                case.save()
                _set_people(case, people, money)
                for upload in files:
                    _save_file(case, upload, actor)
                record_created(case, actor=actor, action="tto.disclosure.created")
            return case
        except IntegrityError:
            continue
    raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))


def update_disclosure(
    case: Disclosure,
    *,
    actor: Any,
    data: dict[str, Any],
    inventors: Sequence[dict[str, Any]] | None = None,
    funding: Sequence[dict[str, Any]] | None = None,
) -> Disclosure:
    """Change a draft (the discloser or the office)."""
    if case.created_by_id != actor.pk and not is_office_of(actor, case.institution_id):
        raise PermissionDenied(
            _("Only the researcher who disclosed it or the office may change this disclosure.")
        )
    if case.status != DisclosureStatus.DRAFT:
        raise TransitionError(_("Only a draft disclosure can be changed."))
    people = clean_inventors(inventors) if inventors is not None else None
    money = clean_funding(funding) if funding is not None else None
    for k in CASE_FIELDS:
        if k in data:
            setattr(case, k, (data[k] or "").strip())
    case.updated_at = timezone.now()
    case.full_clean()
    with transaction.atomic():
        case.save()
        if people is not None or money is not None:
            if people is None:
                people = [{"name": i.name, "share": i.share, "user": i.user} for i in case.inventors.all()]
            if money is None:
                money = [
                    {"funder": f.funder, "grant_number": f.grant_number, "obligations": f.obligations}
                    for f in case.funding.all()
                ]
            _set_people(case, people, money)
        audit.record(case, "tto.disclosure.updated", actor=actor)
    return case


def _save_file(case: Disclosure, upload: Any, actor: Any) -> DisclosureFile:
    item = DisclosureFile(disclosure=case, name=upload.name[:200], size=upload.size, uploaded_by=actor)
    item.file.save(upload.name, upload, save=False)
    item.save()
    audit.record(case, "tto.disclosure.file_added", actor=actor, data={"name": item.name, "size": item.size})
    return item


def add_file(case: Disclosure, *, actor: Any, upload: Any) -> DisclosureFile:
    """Add a file (the discloser, an inventor or the office) while the case is open."""
    if case.status == DisclosureStatus.WITHDRAWN:
        raise TransitionError(_("A withdrawn disclosure takes no more files."))
    _check_upload(upload)
    with transaction.atomic():
        return _save_file(case, upload, actor)


def _offices(case: Disclosure) -> Iterable[Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        organization_id=case.institution_id, role=Role.ORG_ADMIN, is_active=True
    )


def _inventor_users(case: Disclosure) -> Iterable[Any]:
    users = {i.user for i in case.inventors.select_related("user") if i.user is not None}
    users.add(case.created_by)
    return users


def submit_disclosure(case: Disclosure, *, actor: Any) -> None:
    """Disclose to the office; the shares are checked again and the office is notified."""
    if case.created_by_id != actor.pk and not is_office_of(actor, case.institution_id):
        raise PermissionDenied(
            _("Only the researcher who disclosed it or the office may change this disclosure.")
        )
    clean_inventors([{"name": i.name, "share": i.share} for i in case.inventors.all()])
    with transaction.atomic():
        transition(
            case,
            DisclosureStatus.SUBMITTED,
            actor=actor,
            action="tto.disclosure.submitted",
            changes={"submitted_at": timezone.now()},
        )
        for user in _offices(case):
            notify(
                user,
                kind="tto",
                title=_("New disclosure: %(title)s") % {"title": case.title},
                link=f"/tto/cases/{case.pk}/",
                dedupe_key=f"tto-disclosed-{case.pk}-{user.pk}",
            )


def withdraw_disclosure(case: Disclosure, *, actor: Any) -> None:
    if case.created_by_id != actor.pk and not is_office_of(actor, case.institution_id):
        raise PermissionDenied(
            _("Only the researcher who disclosed it or the office may change this disclosure.")
        )
    transition(case, DisclosureStatus.WITHDRAWN, actor=actor, action="tto.disclosure.withdrawn")


def _office(actor: Any, case: Disclosure) -> None:
    if not is_office_of(actor, case.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)


def assess_disclosure(
    case: Disclosure, *, actor: Any, scores: dict[str, Any], note: str = "", experts: Sequence[Any] = ()
) -> Disclosure:
    """Record the office's scored checklist (0–5 per item) and the experts it consulted."""
    _office(actor, case)
    if case.status != DisclosureStatus.SUBMITTED:
        raise TransitionError(_("Only a disclosure awaiting a decision is assessed."))
    for name in SCORES:
        value = scores.get(name)
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            raise ValidationError({name: _("Score each item from 0 to 5.")}) from None
        if not 0 <= number <= 5:
            raise ValidationError({name: _("Score each item from 0 to 5.")})
        setattr(case, name, number)
    case.assessment_note = (note or "").strip()[:2000]
    case.assessed_by, case.assessed_at = actor, timezone.now()
    case.full_clean()
    with transaction.atomic():
        case.save(update_fields=[*SCORES, "assessment_note", "assessed_by", "assessed_at"])
        case.experts.set(list(experts))
        audit.record(
            case,
            "tto.disclosure.assessed",
            actor=actor,
            data={"score": case.score, "experts": [e.pk for e in experts]},
        )
    return case


def decide_disclosure(case: Disclosure, *, actor: Any, decision: str, reasons: str) -> None:
    """Protect, publish, release to the inventors or grant them rights (赋权): one decision with reasons."""
    _office(actor, case)
    reasons = (reasons or "").strip()
    if decision not in DECISION_CODES:
        raise ValidationError({"decision": _("Choose protect, publish, release or grant rights.")})
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    if case.status == DisclosureStatus.SUBMITTED and case.score is None:
        raise TransitionError(_("Assess the disclosure with the checklist before deciding."))
    with transaction.atomic():
        transition(
            case,
            decision,
            actor=actor,
            action=DECISION_CODES[decision],
            message=reasons[:2000],
            changes={"decision_reasons": reasons[:2000], "decided_by": actor, "decided_at": timezone.now()},
        )
        for user in _inventor_users(case):
            notify(
                user,
                kind="tto",
                title=_("The office decided on %(title)s: %(decision)s")
                % {"title": case.title, "decision": case.get_status_display()},
                link=f"/tto/cases/{case.pk}/",
                dedupe_key=f"tto-decided-{case.pk}-{decision}-{user.pk}",
            )


def return_disclosure(case: Disclosure, *, actor: Any, reason: str) -> None:
    """Send a disclosure back to the researcher to complete."""
    _office(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the researcher should complete.")})
    transition(
        case, DisclosureStatus.DRAFT, actor=actor, action="tto.disclosure.returned", message=reason[:2000]
    )


_KIND_OF = {"invention": "invention_patent", "utility": "utility_model", "design": "design"}


def publish_listing(case: Disclosure, *, actor: Any, deal_modes: Sequence[str] = ()) -> Any:
    """Publish the case as an achievement listing (public summary; the detail behind the NDA) and send it
    to review, through the achievements services."""
    from techbridge.achievements import services as achievements
    from techbridge.taxonomy.models import DealMode

    _office(actor, case)
    if case.status not in (DisclosureStatus.PROTECT, DisclosureStatus.PUBLISH, DisclosureStatus.EMPOWER):
        raise TransitionError(_("Decide to protect or publish the disclosure before listing it."))
    if case.achievement_id:
        raise TransitionError(_("This case is already listed."))
    apps = list(
        case.applications.exclude(status__in=[ApplicationStatus.REFUSED, ApplicationStatus.ABANDONED])
    )
    granted = [a for a in apps if a.status == ApplicationStatus.GRANTED]
    kind = _KIND_OF[apps[0].kind] if apps else "other"
    open_licence = any(a.open_licences.filter(status=LicenceStatus.DECLARED).exists() for a in apps)
    codes = list(deal_modes) or (["open-license"] if open_licence else ["license-ordinary", "assignment"])
    modes = list(DealMode.objects.filter(code__in=codes))
    data = {
        "title": case.title[:200],
        "kind": kind,
        "summary": case.summary,
        "detail": case.detail,
        "team": "、".join(i.name for i in case.inventors.all()),
        "legal_status": ("granted" if granted else "pending") if apps else "",
        "patent_numbers": ", ".join(a.application_number for a in (granted or apps)),
    }
    with transaction.atomic():
        achievement = achievements.create_achievement(actor=actor, data=data, deal_modes=modes)
        achievements.submit_achievement(achievement, actor=actor)
        rows = Disclosure.objects.filter(pk=case.pk, achievement__isnull=True).update(
            achievement=achievement, updated_at=timezone.now()
        )
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        case.achievement = achievement
        audit.record(case, "tto.disclosure.listed", actor=actor, data={"achievement": achievement.pk})
    return achievement
