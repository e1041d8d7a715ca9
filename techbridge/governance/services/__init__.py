"""Every write of governance: plans and figures, progress reports, meetings, evaluation, monthly reports,
policies. Services take ``actor``, run atomically, validate the whole record and write the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


def require(allowed: bool, message: str | Promise) -> None:
    """Refuse with ``message`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(str(message))


def changed_fields(obj: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Apply ``data`` to ``obj`` and return ``{field: [old, new]}`` for the audit entry."""
    changes = {}
    for name, value in data.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(obj, name, value)
    return changes
