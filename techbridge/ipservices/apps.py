from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpservicesConfig(AppConfig):
    name = "techbridge.ipservices"
    verbose_name = _("IP services")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
