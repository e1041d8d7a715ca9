from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiningConfig(AppConfig):
    name = "techbridge.mining"
    verbose_name = _("Mining")

    def ready(self) -> None:
        # classification follows the listings' changes (signals connect on import)
        from . import extensions, signals  # noqa: F401

        extensions.register()
