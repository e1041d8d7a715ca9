from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "techbridge.achievements"
    verbose_name = _("Achievements")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
