from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuctionsConfig(AppConfig):
    name = "techbridge.auctions"
    verbose_name = _("Auctions")

    def ready(self) -> None:
        from techbridge.core import scheduler

        from . import extensions

        extensions.register()
        if scheduler.should_start():
            from . import scheduler as closer

            closer.start()
