from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "techbridge.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import scheduler

        if scheduler.should_start():
            scheduler.start()
