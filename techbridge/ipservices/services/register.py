"""Writes of the patent register: a patent entered by staff, legal-status changes, the expiry sweep,
links to achievements, and the follow-up work after patents arrive (industries, early warning)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import Source, record_created, set_initial_state, transition
from techbridge.lib.patents import normalise_patent_number, split_patent_numbers

from ..choices import LegalStatus
from ..models import Patent
from ..permissions import may_manage_register

log = logging.getLogger(__name__)

# Fields staff may enter or correct on a patent (the legal status moves through ``change_legal_status``).
EDITABLE_FIELDS = (
    "application_number",
    "publication_number",
    "grant_number",
    "title",
    "kind",
    "filing_date",
    "publication_date",
    "grant_date",
    "term_adjustment_days",
    "applicants",
    "applicant_type",
    "applicant_address",
    "inventors",
    "ipc_codes",
    "abstract",
    "claims",
    "agency",
)


def _check_staff(actor: Any) -> None:
    if not may_manage_register(actor):
        raise PermissionDenied(_("Only platform reviewers and operators maintain the patent register."))


def derive(patent: Patent) -> None:
    """Fill the fields read from others: normalised numbers, first applicant, IPC main code, subclass and
    main group, region, the applicant's organisation on the platform."""
    from techbridge.organizations.models import Organization

    from .. import parsing

    if patent.application_number:
        patent.application_number = normalise_patent_number(patent.application_number)
    patent.publication_number = normalise_patent_number(patent.publication_number)
    patent.grant_number = normalise_patent_number(patent.grant_number)
    names = parsing.split_names(patent.applicants)
    patent.applicants = "；".join(names)
    patent.first_applicant = names[0][:200] if names else ""
    if not patent.applicant_type and patent.first_applicant:
        patent.applicant_type = parsing.applicant_type("", patent.first_applicant)
    codes = parsing.ipc_codes(patent.ipc_codes)
    patent.ipc_codes = "；".join(codes)
    if codes and not patent.ipc_main:
        patent.ipc_main = codes[0]
    patent.ipc_subclass = patent.ipc_main[:4]
    patent.ipc_main_group = parsing.main_group(patent.ipc_main)
    address = patent.applicant_address
    if address:
        patent.province = patent.province or parsing.province_of("", address)
        patent.city = patent.city or parsing.city_of(address)
        patent.district = patent.district or parsing.nanjing_district(address)
    if patent.first_applicant and patent.applicant_org_id is None:
        patent.applicant_org = Organization.objects.filter(name=patent.first_applicant).order_by("pk").first()
        if patent.applicant_org is not None and not patent.district and patent.applicant_org.district:
            if patent.applicant_org.district != "outside":
                patent.district = patent.applicant_org.district
                patent.city = patent.city or "南京"


def create_patent(*, actor: Any, values: dict[str, Any], legal_status: str = LegalStatus.PENDING) -> Patent:
    """Enter one patent by hand (staff). Refused when a patent with the same number exists."""
    _check_staff(actor)
    with transaction.atomic():
        patent = Patent(
            **{k: v for k, v in values.items() if k in EDITABLE_FIELDS},
            source=Source.MANUAL,
            created_by=actor,
        )
        set_initial_state(patent, legal_status)
        try:
            derive(patent)
        except ValueError as exc:
            raise ValidationError({"ipc_codes": _("“%(code)s” is not an IPC code.") % {"code": exc}}) from exc
        _check_unique(patent)
        patent.full_clean()
        patent.save()
        record_created(patent, actor=actor, action="ipservices.patent.created")
        after_patents_changed([patent.pk], new=[patent.pk])
    return patent


def update_patent(patent: Patent, *, actor: Any, values: dict[str, Any]) -> Patent:
    """Correct a patent's bibliographic data (staff); the legal status is changed separately."""
    _check_staff(actor)
    with transaction.atomic():
        before = {f: getattr(patent, f) for f in EDITABLE_FIELDS}
        for key, value in values.items():
            if key in EDITABLE_FIELDS:
                setattr(patent, key, value)
        patent.applicant_org = None if "applicants" in values else patent.applicant_org
        if patent.applicant_address != before["applicant_address"]:  # read the region again
            patent.province, patent.city, patent.district = "", "", ""
        try:
            derive(patent)
        except ValueError as exc:
            raise ValidationError({"ipc_codes": _("“%(code)s” is not an IPC code.") % {"code": exc}}) from exc
        _check_unique(patent)
        patent.full_clean()
        changed = sorted(f for f in EDITABLE_FIELDS if getattr(patent, f) != before[f])
        if not changed:
            return patent
        patent.updated_at = timezone.now()
        patent.save()
        audit.record(patent, "ipservices.patent.updated", actor=actor, data={"fields": changed})
        text_changed = bool({"title", "abstract", "claims"} & set(changed))
        after_patents_changed([patent.pk], new=[patent.pk] if text_changed else [])
    return patent


def _check_unique(patent: Patent) -> None:
    numbers = [n for n in (patent.application_number, patent.publication_number) if n]
    from django.db.models import Q

    clash = Patent.objects.filter(
        Q(application_number__in=numbers) | Q(publication_number__in=numbers) | Q(grant_number__in=numbers)
    ).exclude(pk=patent.pk)
    if numbers and clash.exists():
        raise ValidationError(
            _("The register already has a patent with the number %(number)s.") % {"number": numbers[0]}
        )


def change_legal_status(
    patent: Patent,
    to: str,
    *,
    actor: Any,
    status_date: Any = None,
    text: str = "",
    check: bool = True,
) -> Patent:
    """Move a patent's legal status (staff; imports and the sweep pass ``check=False``).

    ``status_date`` is when a lapse or invalidation took effect, when known.
    """
    if check:
        _check_staff(actor)
    if to not in LegalStatus.values:
        raise ValidationError(_("Unknown legal status."))
    if status_date is not None and status_date > timezone.localdate():
        raise ValidationError({"status_date": _("The status date cannot be in the future.")})
    changes: dict[str, Any] = {"status_date": status_date}
    if text:
        changes["legal_status_text"] = text[:100]
    transition(
        patent,
        to,
        actor=actor,
        action="ipservices.patent.status_changed",
        changes=changes,
        data={"status_date": status_date.isoformat() if status_date else None},
    )
    return patent


def expire_patents() -> int:
    """Daily: granted patents whose term has run out become expired. Idempotent."""
    today = timezone.localdate()
    moved = 0
    for patent in Patent.objects.filter(legal_status=LegalStatus.GRANTED, expiry_date__lt=today).iterator(
        chunk_size=500
    ):
        try:
            transition(
                patent,
                LegalStatus.EXPIRED,
                actor=None,
                action="ipservices.patent.expired",
                changes={"status_date": patent.expiry_date},
            )
            moved += 1
        except Exception:  # a patent changed underneath: the next run takes it
            log.exception("could not expire patent %s", patent.pk)
    return moved


# ---- links to achievements ----------------------------------------------------------------------------


def link_achievements(patent_pks: Iterable[int]) -> int:
    """Link patents to the achievements that name one of their numbers (``patent_numbers``).
    Returns the number of new links; existing links stay."""
    from techbridge.achievements.models import Achievement

    patents = list(
        Patent.objects.filter(pk__in=list(patent_pks)).only(
            "pk", "application_number", "publication_number", "grant_number"
        )
    )
    if not patents:
        return 0
    by_number: dict[str, int] = {}
    for p in patents:
        for n in p.numbers:
            by_number[n] = p.pk
    wanted: dict[int, set[int]] = defaultdict(set)
    rows = Achievement.objects.exclude(patent_numbers="").values_list("pk", "patent_numbers")
    for pk, text in rows.iterator(chunk_size=5000):
        for number in split_patent_numbers(text):
            if number in by_number:
                wanted[by_number[number]].add(pk)
    return _add_links(wanted)


def link_achievement(achievement_pk: int) -> int:
    """Link one achievement to the register's patents it names (after it is saved or published)."""
    return link_achievements_named([achievement_pk])


def link_achievements_named(achievement_pks: Iterable[int]) -> int:
    """Link achievements to the register's patents their ``patent_numbers`` name (one pass for many)."""
    from techbridge.achievements.models import Achievement

    from ..queries import patents_by_numbers

    pks = list(achievement_pks)
    if not pks or not Patent.objects.exists():
        return 0
    named: dict[int, list[str]] = {}
    for start in range(0, len(pks), 2000):
        rows = (
            Achievement.objects.filter(pk__in=pks[start : start + 2000])
            .exclude(patent_numbers="")
            .values_list("pk", "patent_numbers")
        )
        for pk, text in rows:
            named[pk] = split_patent_numbers(text)
    found = patents_by_numbers(n for numbers in named.values() for n in numbers)
    wanted: dict[int, set[int]] = defaultdict(set)
    for pk, numbers in named.items():
        for number in numbers:
            if number in found:
                wanted[found[number].pk].add(pk)
    return _add_links(wanted)


def _add_links(wanted: dict[int, set[int]]) -> int:
    if not wanted:
        return 0
    through = Patent.achievements.through
    existing = set(
        through.objects.filter(patent_id__in=list(wanted)).values_list("patent_id", "achievement_id")
    )
    new = [
        through(patent_id=p, achievement_id=a)
        for p, achievements in wanted.items()
        for a in achievements
        if (p, a) not in existing
    ]
    through.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# ---- after patents arrive -----------------------------------------------------------------------------


def after_patents_changed(pks: list[int], *, new: list[int]) -> None:
    """Queue the follow-up work for patents that were created or changed (after the commit): industry
    membership and achievement links for all of them, the early-warning check for ``new`` (created, or
    whose text changed)."""
    from .. import tasks

    if pks:
        enqueue(tasks.patents_changed, list(pks), list(new))
