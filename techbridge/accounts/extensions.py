"""What the accounts app registers: the words of its audit codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def _pickable_users(user: Any) -> Any:
    """Console users find every active account; others only the members of their own organisation."""
    from techbridge.core.permissions import signed_in
    from techbridge.core.roles import is_console_user

    from .models import User

    if not signed_in(user):
        return User.objects.none()
    active = User.objects.filter(is_active=True).select_related("organization")
    if is_console_user(user):
        return active
    if user.organization_id:
        return active.filter(organization_id=user.organization_id)
    return active.filter(pk=user.pk)


def _user_label(u: Any) -> str:
    name = u.real_name or u.username
    return f"{name}（{u.organization.name}）" if u.organization_id else name


def register() -> None:
    registry.register_picker(
        registry.PickerKind(
            "users",
            visible=_pickable_users,
            label=_user_label,
            fields=("real_name",),
            prefix_fields=("username",),
            name_field="username",
            order_by=("username",),
        )
    )
    registry.register_audit_labels(
        {
            "accounts.user.signed_up": _("Signed up"),
            "accounts.user.profile_edited": _("Profile edited"),
            "accounts.user.token_issued": _("API token issued"),
            "accounts.user.token_revoked": _("API token revoked"),
            "accounts.user.tokens_revoked": _("All API tokens revoked"),
            "accounts.user.data_exported": _("Copy of personal data taken"),
            "accounts.user.erased": _("Account erased (personal information removed, records pseudonymised)"),
            "accounts.erasure.requested": _("Account erasure requested"),
            "accounts.erasure.cancelled": _("Account erasure cancelled"),
            "accounts.erasure.executed": _("Account erasure carried out"),
            "accounts.erasure.refused": _("Account erasure refused"),
        }
    )
    from . import erasure

    registry.register_daily_sweep(erasure.execute_due)
