from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: the home page, "my work" and the console home, assembled from the registries."""

    name = "techbridge.portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import extensions

        extensions.register()
