"""What the accounts app registers: the words of its audit codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def register() -> None:
    registry.register_audit_labels(
        {
            "accounts.user.signed_up": _("Signed up"),
            "accounts.user.profile_edited": _("Profile edited"),
            "accounts.user.token_issued": _("API token issued"),
            "accounts.user.token_revoked": _("API token revoked"),
            "accounts.user.tokens_revoked": _("All API tokens revoked"),
        }
    )
