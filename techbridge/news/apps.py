from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "techbridge.news"
    verbose_name = _("Notices and news")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
