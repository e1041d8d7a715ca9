from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuctionsConfig(AppConfig):
    name = "techbridge.auctions"
    verbose_name = _("Auctions")

    def ready(self) -> None:
        from techbridge.core import scheduler, tasks

        from .services import close_due_lots

        # Celery beat / the daily sweep catch anything the frequent closer could not reach.
        tasks.register_daily_sweep(close_due_lots)
        if scheduler.should_start():
            from . import scheduler as closer

            closer.start()
