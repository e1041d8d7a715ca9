from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "techbridge.institutions"
    verbose_name = _("Service institutions")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
