from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "techbridge.imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
