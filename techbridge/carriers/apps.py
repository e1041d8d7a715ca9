from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "techbridge.carriers"
    verbose_name = _("Carriers and enterprises")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
