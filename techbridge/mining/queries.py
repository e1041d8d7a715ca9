"""Reads of mining that several views need: a listing's classification as shown, packages with
visibility applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from techbridge.core.workflow import ReviewStatus

from . import classifiers
from .choices import ClassificationTarget, PackageStatus
from .models import AchievementPackage, ListingClassification
from .permissions import can_manage_packages

# The order targets are shown in.
TARGET_ORDER = [
    ClassificationTarget.FIELD,
    ClassificationTarget.CATEGORY,
    ClassificationTarget.DISCIPLINE,
    ClassificationTarget.IPC_SECTION,
    ClassificationTarget.IPC_CLASS,
]


def label_name(target: str, label: str) -> str:
    """What a label looks like to people: field names instead of codes, IPC sections with titles."""
    if not label:
        return ""
    if target == ClassificationTarget.FIELD:
        from techbridge.matching.indexes import field_names

        return field_names().get(label, label)
    if target == ClassificationTarget.IPC_SECTION:
        title = classifiers.IPC_SECTIONS.get(label)
        return f"{label} {title}" if title else label
    return label


@dataclass
class ShownLabel:
    """One target of a listing's classification as the panel and the API show it."""

    target: str
    target_label: str
    label: str
    name: str
    confidence: float | None
    corrected: bool
    predicted: str = ""
    predicted_name: str = ""
    corrected_by: Any = None
    corrected_at: Any = None
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    pk: int | None = None


def classification_of(kind: str, pk: int) -> list[ShownLabel]:
    """The listing's classification, target by target (corrections instead of predictions)."""
    rows = {
        r.target: r
        for r in ListingClassification.objects.filter(kind=kind, object_id=pk).select_related("corrected_by")
    }
    out = []
    for target in TARGET_ORDER:
        row = rows.get(target)
        if row is None or not row.effective_label:
            continue
        out.append(
            ShownLabel(
                target=target,
                target_label=str(ClassificationTarget(target).label),
                label=row.effective_label,
                name=label_name(target, row.effective_label),
                confidence=None if row.is_corrected else row.confidence,
                corrected=row.is_corrected,
                predicted=row.label,
                predicted_name=label_name(target, row.label),
                corrected_by=row.corrected_by,
                corrected_at=row.corrected_at,
                alternatives=[(label_name(target, a[0]), a[1]) for a in (row.alternatives or [])],
                pk=row.pk,
            )
        )
    return out


def visible_packages(user: Any) -> QuerySet[AchievementPackage]:
    """Packages ``user`` may see: published ones for everyone, every package for staff; with the
    number of published members annotated (``member_count``)."""
    qs = AchievementPackage.objects.select_related("field").annotate(
        member_count=Count(
            "achievements", filter=Q(achievements__status=ReviewStatus.PUBLISHED), distinct=True
        )
    )
    if not can_manage_packages(user):
        qs = qs.filter(status=PackageStatus.PUBLISHED)
    return qs


def package_members(package: AchievementPackage, user: Any) -> QuerySet:
    """The package's achievements ``user`` may see (published only for everyone but staff)."""
    from techbridge.achievements.queries import visible_achievements

    qs = visible_achievements(user).filter(packages=package)
    if not can_manage_packages(user):
        qs = qs.filter(status=ReviewStatus.PUBLISHED)
    return qs.order_by("-published_at", "-id")


def packages_of_achievement(achievement: Any, user: Any) -> list[AchievementPackage]:
    """The packages an achievement belongs to that ``user`` may see."""
    return list(visible_packages(user).filter(achievements=achievement).order_by("-published_at", "-id")[:10])


def published_packages_with_members() -> QuerySet[AchievementPackage]:
    return AchievementPackage.objects.filter(status=PackageStatus.PUBLISHED).prefetch_related(
        Prefetch("achievements")
    )
