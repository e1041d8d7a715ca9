"""Industries for patent navigation (defined by staff as data), their patent membership, and the
navigation reports generated once in the background."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import transition

from ..choices import ReportStatus
from ..models import (
    MAX_INDUSTRY_KEYWORDS,
    MAX_INDUSTRY_PREFIXES,
    Industry,
    IndustryPatent,
    NavigationReport,
    Patent,
)

log = logging.getLogger(__name__)

_PREFIX_RE = re.compile(r"^[A-H](?:\d{2}(?:[A-Z](?: ?\d{1,4}(?:/\d{1,6})?)?)?)?$")
_SPLIT_RE = re.compile(r"[;；,，、\n]+")
INDUSTRY_FIELDS = ("name", "code", "description", "ipc_prefixes", "keywords", "is_base", "order")


def _check_staff(actor: Any) -> None:
    if not is_staff_reviewer(actor):
        raise PermissionDenied(_("Only platform reviewers and operators define industries."))


def clean_prefixes(text: str) -> str:
    """IPC prefixes as ``H02J；G01R 31`` (section, class, subclass or group); refuses anything else."""
    out: list[str] = []
    for part in _SPLIT_RE.split(text or ""):
        code = re.sub(r"\s+", " ", part.strip().upper())
        if not code:
            continue
        compact = code.replace(" ", "")
        match = re.fullmatch(r"([A-H]\d{2}[A-Z])(\d{1,4}(?:/\d{1,6})?)?", compact)
        if match and match.group(2):
            code = f"{match.group(1)} {match.group(2)}"
        elif match:
            code = match.group(1)
        if not _PREFIX_RE.match(code):
            raise ValidationError(
                {
                    "ipc_prefixes": _("“%(code)s” is not an IPC code or prefix (write H02J or G01R 31).")
                    % {"code": part}
                }
            )
        if code not in out:
            out.append(code)
    if len(out) > MAX_INDUSTRY_PREFIXES:
        raise ValidationError(
            {"ipc_prefixes": _("At most %(n)s IPC codes per industry.") % {"n": MAX_INDUSTRY_PREFIXES}}
        )
    return "；".join(out)


def clean_keywords(text: str) -> str:
    out: list[str] = []
    for part in _SPLIT_RE.split(text or ""):
        word = part.strip()
        if not word:
            continue
        if not 2 <= len(word) <= 20:
            raise ValidationError(
                {"keywords": _("“%(word)s”: keywords have 2 to 20 characters.") % {"word": word}}
            )
        if word not in out:
            out.append(word)
    if len(out) > MAX_INDUSTRY_KEYWORDS:
        raise ValidationError(
            {"keywords": _("At most %(n)s keywords per industry.") % {"n": MAX_INDUSTRY_KEYWORDS}}
        )
    return "；".join(out)


def save_industry(*, actor: Any, values: dict[str, Any], industry: Industry | None = None) -> Industry:
    """Create or change an industry (staff). A change of its codes or keywords recomputes its patents
    in the background; the landscape reads the new membership once it is done."""
    _check_staff(actor)
    values = {k: v for k, v in values.items() if k in INDUSTRY_FIELDS}
    values["ipc_prefixes"] = clean_prefixes(
        values.get("ipc_prefixes", industry.ipc_prefixes if industry else "")
    )
    values["keywords"] = clean_keywords(values.get("keywords", industry.keywords if industry else ""))
    if not values["ipc_prefixes"] and not values["keywords"]:
        raise ValidationError(_("Give the industry at least one IPC code or keyword."))
    with transaction.atomic():
        creating = industry is None
        if industry is None:
            industry = Industry(created_by=actor)
        before = {f: getattr(industry, f) for f in INDUSTRY_FIELDS}
        for key, value in values.items():
            setattr(industry, key, value)
        if not industry.code:
            industry.code = (
                slugify(industry.name, allow_unicode=False) or f"industry-{timezone.now():%Y%m%d%H%M%S}"
            )
        industry.full_clean()
        changed = sorted(f for f in INDUSTRY_FIELDS if getattr(industry, f) != before[f])
        definition_changed = creating or bool({"ipc_prefixes", "keywords"} & set(changed))
        if not creating and not changed:
            return industry
        if definition_changed and not creating:
            industry.version += 1
        industry.updated_at = timezone.now()
        industry.save()
        audit.record(
            industry,
            "ipservices.industry.created" if creating else "ipservices.industry.updated",
            actor=actor,
            data={"fields": changed, "version": industry.version},
        )
        if definition_changed:
            from .. import tasks

            enqueue(tasks.refresh_industry, industry.pk)
    return industry


# ---- membership ---------------------------------------------------------------------------------------


def ipc_q(industry: Industry) -> Q:
    q = Q(pk__in=[])
    for prefix in industry.prefix_list:
        # Groups are written "G01R 31": match "G01R 31/…" and not "G01R 310/…".
        needle = f"{prefix}/" if " " in prefix else prefix
        q |= Q(ipc_codes__icontains=needle)
    return q


def keyword_q(industry: Industry) -> Q:
    q = Q(pk__in=[])
    for word in industry.keyword_list:
        q |= Q(title__icontains=word) | Q(abstract__icontains=word)
    return q


def refresh_membership(industry_pk: int) -> int:
    """Recompute which patents belong to an industry (idempotent; a newer definition wins: the version
    is claimed with a conditional UPDATE at the end). Returns the number of members."""
    industry = Industry.objects.get(pk=industry_pk)
    version = industry.version
    by_ipc = (
        set(Patent.objects.filter(ipc_q(industry)).values_list("pk", flat=True))
        if industry.prefix_list
        else set()
    )
    by_kw = (
        set(Patent.objects.filter(keyword_q(industry)).values_list("pk", flat=True))
        if industry.keyword_list
        else set()
    )
    members = by_ipc | by_kw
    with transaction.atomic():
        IndustryPatent.objects.filter(industry=industry).delete()
        IndustryPatent.objects.bulk_create(
            (
                IndustryPatent(industry=industry, patent_id=pk, by_ipc=pk in by_ipc, by_keyword=pk in by_kw)
                for pk in members
            ),
            batch_size=2000,
        )
        rows = Industry.objects.filter(pk=industry_pk, version=version).update(
            membership_version=version, member_count=len(members)
        )
        if rows != 1:  # redefined meanwhile: that change's own refresh will write its membership
            transaction.set_rollback(True)
            return 0
    # Warm the navigation page's figures, so its first visitor after a redefinition does not wait.
    from .. import landscape

    industry.refresh_from_db()
    landscape.landscape(industry)
    return len(members)


def update_memberships(patent_pks: Iterable[int]) -> int:
    """Bring the membership of some patents (new or changed) up to date in every industry."""
    pks = list(patent_pks)
    if not pks:
        return 0
    added = 0
    for industry in Industry.objects.all():
        base = Patent.objects.filter(pk__in=pks)
        by_ipc = (
            set(base.filter(ipc_q(industry)).values_list("pk", flat=True)) if industry.prefix_list else set()
        )
        by_kw = (
            set(base.filter(keyword_q(industry)).values_list("pk", flat=True))
            if industry.keyword_list
            else set()
        )
        members = by_ipc | by_kw
        with transaction.atomic():
            removed, _detail = IndustryPatent.objects.filter(industry=industry, patent_id__in=pks).delete()
            IndustryPatent.objects.bulk_create(
                [
                    IndustryPatent(
                        industry=industry, patent_id=pk, by_ipc=pk in by_ipc, by_keyword=pk in by_kw
                    )
                    for pk in members
                ],
                batch_size=2000,
            )
            delta = len(members) - removed
            if delta:
                Industry.objects.filter(pk=industry.pk).update(member_count=F("member_count") + delta)
        added += len(members)
    return added


# ---- reports ------------------------------------------------------------------------------------------


def request_report(industry: Industry, *, actor: Any) -> NavigationReport:
    """Queue a navigation report (PDF with charts and an Excel workbook) of an industry (staff).
    A report already queued or being generated for the industry is returned instead of a second one."""
    _check_staff(actor)
    pending = NavigationReport.objects.filter(
        industry=industry, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    )
    try:
        with transaction.atomic():
            # At most one pending report per industry (a conditional unique constraint): a second
            # request, even at the same moment, gets the first.
            report = NavigationReport.objects.create(
                industry=industry, industry_version=industry.version, requested_by=actor
            )
            audit.record(report, "ipservices.report.requested", actor=actor, to_state=report.status)
            from .. import tasks

            enqueue(tasks.build_report, report.pk)
    except IntegrityError:
        existing = pending.first()
        if existing is None:
            raise
        return existing
    return report


def build_report(report_pk: int) -> NavigationReport:
    """Generate a queued report: compute the figures, typeset the PDF, write the workbook, store both
    with their hashes. Claimed by a conditional UPDATE (queued → running), so a retry never builds twice."""
    from .. import landscape, reports

    report = NavigationReport.objects.select_related("industry").get(pk=report_pk)
    if report.status != ReportStatus.QUEUED:
        return report
    transition(
        report,
        ReportStatus.RUNNING,
        actor=None,
        action="ipservices.report.started",
        changes={"started_at": timezone.now()},
    )
    try:
        industry = report.industry
        if not industry.membership_current:
            refresh_membership(industry.pk)
            industry.refresh_from_db()
        snapshot = landscape.full_snapshot(industry)
        pdf = reports.render_pdf(industry, snapshot, report)
        xlsx = reports.render_xlsx(industry, snapshot)
    except Exception as exc:  # the report says why; a bug is logged for the operators
        log.exception("navigation report %s failed", report.pk)
        transition(
            report,
            ReportStatus.FAILED,
            actor=None,
            action="ipservices.report.failed",
            message=str(exc)[:500],
            changes={"finished_at": timezone.now(), "message": str(exc)[:2000]},
        )
        return report
    stamp = timezone.localtime().strftime("%Y%m%d")
    report.pdf.save(f"navigation-{industry.code}-{stamp}.pdf", ContentFile(pdf), save=False)
    report.xlsx.save(f"navigation-{industry.code}-{stamp}.xlsx", ContentFile(xlsx), save=False)
    transition(
        report,
        ReportStatus.READY,
        actor=None,
        action="ipservices.report.ready",
        changes={
            "finished_at": timezone.now(),
            "snapshot": snapshot,
            "patent_count": snapshot["totals"]["patents"],
            "pdf": report.pdf.name,
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
            "xlsx": report.xlsx.name,
            "xlsx_sha256": hashlib.sha256(xlsx).hexdigest(),
        },
    )
    if report.requested_by is not None:
        from django.urls import reverse

        from techbridge.core.notifications import notify

        notify(
            report.requested_by,
            kind="ipservices_report_ready",
            title=_("Patent navigation report ready: %(industry)s") % {"industry": industry.name},
            link=reverse("ipservices:industry", args=[industry.pk]),
            dedupe_key=f"ipservices:report:{report.pk}",
        )
    return report
