from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "techbridge.announcements"
    verbose_name = _("Deal announcements and certificates")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
