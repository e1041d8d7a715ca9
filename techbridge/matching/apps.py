from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "techbridge.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
