from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "techbridge.instruments"
    verbose_name = _("Shared instruments and service platforms")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
