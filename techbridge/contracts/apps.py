from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "techbridge.contracts"
    verbose_name = _("Technology contracts")

    def ready(self) -> None:
        from techbridge.core.tasks import register_daily_sweep

        from . import services

        register_daily_sweep(services.remind_overdue_registrations)
