"""Helpers shared by the talent services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from techbridge.core.roles import is_operator, is_staff_reviewer


def require_staff(actor: Any) -> None:
    if not is_staff_reviewer(actor):
        raise PermissionDenied(_("Only platform reviewers and operators can do that."))


def require_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("Only platform operators can do that."))


def text(value: Any, field: str, limit: int, *, required: bool = False, message: str = "") -> str:
    """A user's text, stripped; refused when over ``limit`` (or empty when ``required``)."""
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("At most %(limit)s characters (now %(n)s).") % {"limit": limit, "n": len(value)}}
        )
    return value


def value(data: dict[str, Any], key: str, default: Any = None) -> Any:
    """``data[key]`` or ``default``; the model's ``full_clean`` then checks it."""
    return data.get(key, default)
