"""Reads of governance records that several pages and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from techbridge.core.roles import is_operator

from .choices import PolicyLevel, PolicyStatus
from .models import Meeting, Plan, Policy, ProgressReport, Task, TaskDepartment


def plans() -> QuerySet[Plan]:
    return Plan.objects.order_by("-is_current", "-start", "-id")


def plan_or_current(pk: Any = None) -> Plan | None:
    from .measures import current_plan

    if pk:
        return Plan.objects.filter(pk=pk).first()
    return current_plan()


def department_tasks(org_id: int) -> list[Task]:
    """Tasks the department is responsible for (all plans, current first), with its own latest reports."""
    return list(
        Task.objects.filter(assignments__organization_id=org_id)
        .select_related("plan")
        .prefetch_related(
            Prefetch("assignments", queryset=TaskDepartment.objects.select_related("organization")),
            Prefetch("reports", queryset=ProgressReport.objects.filter(department_id=org_id)),
        )
        .order_by("-plan__is_current", "plan", "number")
        .distinct()
    )


def reports(
    *, plan: Plan | None = None, department: Any = None, status: str = ""
) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.select_related("task", "department", "submitted_by")
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    if department:
        qs = qs.filter(department_id=department)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "-quarter", "task__number", "pk")


def meetings(plan: Plan) -> QuerySet[Meeting]:
    return Meeting.objects.filter(plan=plan).prefetch_related("decisions").order_by("-held_on", "-pk")


LEVEL_ORDER = Case(
    *[When(level=v, then=Value(i)) for i, v in enumerate(PolicyLevel.values)], default=Value(99)
)


def visible_policies(user: Any, *, q: str = "", level: str = "") -> QuerySet[Policy]:
    """Published policies (operators also see drafts and withdrawn ones), searched in Chinese."""
    qs = Policy.objects.all() if is_operator(user) else Policy.objects.filter(status=PolicyStatus.PUBLISHED)
    if level:
        qs = qs.filter(level=level)
    if q:
        from .services.policies import search_ids

        ids = search_ids(q)[:500]
        found = Q(pk__in=ids) | Q(title__icontains=q) if is_operator(user) else Q(pk__in=ids)
        rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], default=Value(len(ids)))
        return qs.filter(found).prefetch_related("conditions").order_by(rank, "pk")
    return qs.prefetch_related("conditions").order_by(LEVEL_ORDER, "-issued_on", "pk")
