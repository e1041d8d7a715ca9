from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "techbridge.deals"
    verbose_name = _("Negotiations")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
