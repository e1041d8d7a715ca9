from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "techbridge.demands"
    verbose_name = _("Technology demands")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
