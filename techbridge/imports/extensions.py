"""The import console and the duplicates queue in the console's sections."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.roles import is_operator, is_staff_reviewer


def register() -> None:
    registry.register_nav(
        "console",
        _("Bulk import"),
        "mining_console:imports_console:list",
        group="console.administration",
        order=10,
        visible=is_operator,
    )
    registry.register_nav(
        "console",
        _("Possible duplicates"),
        "mining_console:imports_console:duplicates",
        group="console.review",
        order=50,
        visible=is_staff_reviewer,
    )
