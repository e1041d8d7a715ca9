from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuationConfig(AppConfig):
    name = "techbridge.valuation"
    verbose_name = _("Valuation")

    def ready(self) -> None:
        from . import extensions, signals  # noqa: F401  (signals connect the receivers)

        extensions.register()
