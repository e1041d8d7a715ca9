"""Plans as data: loading a plan file, the plan's settings, manual figures and milestones."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_operator
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from ..choices import Comparison, Source
from ..models import ManualFigure, Milestone, Plan, Target, Task, TaskDepartment
from ..permissions import can_add_milestone
from . import changed_fields, require
from .uploads import check_upload

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PLAN = DATA_DIR / "plan_nanjing_13th.json"
PLAN_FIELDS = ("name", "period_label", "issuer", "document_number", "basis", "summary")


@dataclass
class LoadResult:
    plan: Plan
    created: bool
    departments_created: int
    tasks: int
    targets: int


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"where": where, "value": value}
        ) from exc


def _decimal(value: Any, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from exc
    if not number.is_finite() or number < 0:
        raise ValidationError(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
    return number


def read_plan_file(path: Path | str) -> tuple[dict[str, Any], str]:
    """The parsed plan file and its SHA-256; a file that cannot be read is a ``ValidationError``."""
    try:
        raw = Path(path).read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("The plan file cannot be read: %(error)s") % {"error": exc}) from exc
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise ValidationError(_("The plan file has no “plan” section."))
    return data, hashlib.sha256(raw).hexdigest()


def ensure_department(
    name: str, listed_as: list[str], plan_name: str, *, actor: Any
) -> tuple[Organization, bool]:
    """The government organisation called ``name``, created (approved) if missing."""
    org = Organization.objects.filter(name=name, kind=OrgKind.GOVERNMENT).first()
    if org is not None:
        return org, False
    org = Organization(
        name=name,
        kind=OrgKind.GOVERNMENT,
        status=OrgStatus.APPROVED,
        description=_("Responsible department named in %(plan)s as %(names)s.")
        % {"plan": f"《{plan_name}》", "names": "、".join(listed_as)},
    )
    org.full_clean()
    org.save()
    audit.record(org, "governance.department.created", actor=actor, data={"listed_as": listed_as})
    return org, True


@transaction.atomic
def load_plan(data: dict[str, Any], *, actor: Any = None, sha256: str = "") -> LoadResult:
    """Create or update a plan, its departments, tasks and targets from parsed plan data.

    Records are matched by the plan's ``code``, task ``number`` and target ``code``, so loading the same
    file again changes nothing and a corrected file updates in place; progress reports, milestones and
    figures are never touched. Any error leaves the database as it was.
    """
    p = data["plan"]
    for key in ("code", "name", "start", "end", "issuer"):
        if not p.get(key):
            raise ValidationError(_("The plan has no “%(key)s”.") % {"key": key})
    plan = Plan.objects.filter(code=p["code"]).first()
    created = plan is None
    plan = plan or Plan(code=p["code"])
    for name in PLAN_FIELDS:
        setattr(plan, name, str(p.get(name) or ""))
    plan.start = _date(p["start"], "plan.start")  # type: ignore[assignment]  # required: checked above
    plan.end = _date(p["end"], "plan.end")  # type: ignore[assignment]
    plan.issued_on = _date(p.get("issued_on"), "plan.issued_on")
    if "reporting_starts" in p:
        plan.reporting_starts = _date(p.get("reporting_starts"), "plan.reporting_starts")
    plan.source_sha256 = sha256
    plan.loaded_at = timezone.now()
    plan.full_clean(exclude=["is_current"])
    if p.get("current"):
        Plan.objects.exclude(pk=plan.pk).filter(is_current=True).update(is_current=False)
        plan.is_current = True
    plan.save()

    departments: dict[str, Organization] = {}
    made = 0
    for d in data.get("departments", []):
        if not d.get("key") or not d.get("name"):
            raise ValidationError(_("Every department needs a “key” and a “name”."))
        departments[d["key"]], new = ensure_department(
            str(d["name"])[:200], list(d.get("listed_as") or []), plan.name, actor=actor
        )
        made += int(new)

    tasks: dict[int, Task] = {}
    for t in data.get("tasks", []):
        number = int(t.get("number") or 0)
        if number <= 0 or not t.get("title"):
            raise ValidationError(_("Every task needs a positive “number” and a “title”."))
        task, _created = Task.objects.update_or_create(
            plan=plan,
            number=number,
            defaults={
                "section": str(t.get("section") or "")[:100],
                "title": str(t["title"])[:200],
                "text": str(t.get("text") or "")[:5000],
            },
        )
        task.full_clean()
        TaskDepartment.objects.filter(task=task).delete()
        for order, a in enumerate(t.get("departments", [])):
            org = departments.get(a.get("department"))
            if org is None:
                raise ValidationError(
                    _("Task %(n)s names an unknown department “%(d)s”.")
                    % {"n": number, "d": a.get("department")}
                )
            TaskDepartment.objects.create(
                task=task,
                organization=org,
                listed_as=str(a.get("listed_as") or "")[:40],
                is_lead=order == 0,
                order=order,
            )
        tasks[number] = task

    for order, g in enumerate(data.get("targets", [])):
        where = f"target {g.get('code', order + 1)}"
        source = g.get("source") or Source.METRIC
        comparison = g.get("comparison") or Comparison.CUMULATIVE
        if source not in Source.values or comparison not in Comparison.values:
            raise ValidationError(_("%(where)s: unknown source or comparison.") % {"where": where})
        target, _created = Target.objects.update_or_create(
            plan=plan,
            code=str(g.get("code") or ""),
            defaults={
                "order": order,
                "indicator": str(g.get("indicator") or "")[:200],
                "quote": str(g.get("quote") or "")[:500],
                "value": _decimal(g.get("value"), where),
                "unit": str(g.get("unit") or "")[:20],
                "scale": _decimal(g.get("scale"), where) or Decimal("1"),
                "deadline": _date(g.get("deadline"), where) or plan.end,
                "comparison": comparison,
                "source": source,
                "metric_code": str(g.get("metric") or "")[:80],
                "counts_from": _date(g.get("counts_from"), where),
                "note": str(g.get("note") or "")[:1000],
            },
        )
        target.full_clean()
        unknown = [d for d in g.get("departments", []) if d not in departments]
        missing_tasks = [n for n in g.get("tasks", []) if n not in tasks]
        if unknown or missing_tasks:
            raise ValidationError(
                _("%(where)s names unknown departments or tasks: %(names)s.")
                % {"where": where, "names": ", ".join(map(str, unknown + missing_tasks))}
            )
        target.departments.set([departments[d] for d in g.get("departments", [])])
        target.tasks.set([tasks[n] for n in g.get("tasks", [])])

    audit.record(
        plan,
        "governance.plan.loaded",
        actor=actor,
        data={
            "sha256": sha256,
            "tasks": len(tasks),
            "targets": len(data.get("targets", [])),
            "new_departments": made,
        },
    )
    return LoadResult(plan, created, made, len(tasks), len(data.get("targets", [])))


def load_plan_file(path: Path | str = DEFAULT_PLAN, *, actor: Any = None) -> LoadResult:
    data, sha = read_plan_file(path)
    return load_plan(data, actor=actor, sha256=sha)


SETTINGS = ("on_track_ratio", "attention_ratio", "forecast_periods", "report_grace_days", "reporting_starts")


@transaction.atomic
def update_plan_settings(plan: Plan, *, actor: Any, data: dict[str, Any], make_current: bool = False) -> Plan:
    """Operators change the status thresholds, the forecast span and the reporting rules."""
    require(is_operator(actor), _("Only platform operators change a plan's settings."))
    changes = changed_fields(plan, {k: v for k, v in data.items() if k in SETTINGS})
    plan.full_clean(exclude=["is_current"])
    if make_current and not plan.is_current:
        Plan.objects.filter(is_current=True).update(is_current=False)
        plan.is_current = True
        changes["is_current"] = ["False", "True"]
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # another operator made another plan current at the same moment
        raise ValidationError(_("Another plan was made current a moment ago. Reload and try again.")) from exc
    audit.record(plan, "governance.plan.updated", actor=actor, data=changes)
    return plan


@transaction.atomic
def record_figure(
    target: Target,
    *,
    actor: Any,
    as_of: dt.date,
    value: Decimal,
    evidence: str,
    evidence_file: Any = None,
    report: Any = None,
) -> ManualFigure:
    """A manual target's value as of a date (operators, or an accepted report through ``report``)."""
    if report is None:
        require(is_operator(actor), _("Only platform operators enter figures directly."))
    if target.source != Source.MANUAL:
        raise ValidationError(
            _("This target's value comes from platform records; it takes no manual figures.")
        )
    if evidence_file is not None:
        check_upload(evidence_file)
    figure = ManualFigure.objects.filter(target=target, as_of=as_of).first() or ManualFigure(
        target=target, as_of=as_of
    )
    figure.value = value
    figure.evidence = evidence
    figure.report = report
    figure.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    figure.entered_at = timezone.now()
    if evidence_file is not None:
        figure.evidence_file = evidence_file
    figure.full_clean()
    figure.save()
    audit.record(
        figure,
        "governance.figure.recorded",
        actor=actor,
        data={"target": target.code, "as_of": str(as_of), "value": str(value)},
    )
    return figure


@transaction.atomic
def add_milestone(task: Task, *, actor: Any, title: str, due: dt.date, description: str = "") -> Milestone:
    require(can_add_milestone(actor, task), _("Only operators and the lead department add milestones."))
    milestone = Milestone(task=task, title=title, due=due, description=description, created_by=actor)
    milestone.full_clean()
    milestone.save()
    audit.record(
        milestone, "governance.milestone.created", actor=actor, data={"task": task.number, "due": str(due)}
    )
    return milestone
