from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TtoConfig(AppConfig):
    name = "techbridge.tto"
    verbose_name = _("Technology transfer office")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
