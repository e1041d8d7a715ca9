from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "techbridge.contracts"
    verbose_name = _("Technology contracts")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
