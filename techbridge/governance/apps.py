from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "techbridge.governance"
    verbose_name = _("Plan governance")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
