from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "techbridge.finance"
    verbose_name = _("Technology finance")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
