from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "techbridge.challenges"
    verbose_name = _("Challenges (揭榜挂帅)")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
