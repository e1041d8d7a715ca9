"""The portal's own menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in


def register() -> None:
    registry.nav_groups.register(registry.NavGroup("work", _("My work"), 40))
    registry.register_nav("portal", _("Overview"), "portal:mine", group="work", order=1, visible=signed_in)
    registry.register_nav("portal", _("Market big screen"), "portal:screen", group="information", order=6)
