"""Template tags of classification and packages: the panel on achievement and demand pages."""

from __future__ import annotations

from typing import Any

from django import template

from .. import classifiers, queries, services
from ..choices import ClassificationTarget
from ..permissions import can_correct_classification

register = template.Library()


@register.simple_tag(takes_context=True)
def mining_panel(context: Any, obj: Any) -> dict[str, Any]:
    """What the panel shows of ``obj``: its classification, the correction choices (staff) and,
    for achievements, the packages it belongs to."""
    user = context.get("user")
    kind = obj._meta.model_name
    labels = queries.classification_of(kind, obj.pk)
    staff = can_correct_classification(user)
    targets = [ClassificationTarget.FIELD, ClassificationTarget.CATEGORY, ClassificationTarget.DISCIPLINE]
    if kind == "achievement":
        targets += [ClassificationTarget.IPC_SECTION, ClassificationTarget.IPC_CLASS]
    choices = []
    if staff:
        for t in targets:
            options = sorted(services.allowed_labels(t).items(), key=lambda kv: kv[1])
            choices.append({"target": t, "label": ClassificationTarget(t).label, "options": options})
    return {
        "kind": kind,
        "labels": labels,
        "has_model": classifiers.current_info() is not None,
        "staff": staff,
        "choices": choices,
        "packages": queries.packages_of_achievement(obj, user) if kind == "achievement" else [],
    }


@register.filter
def percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""
