from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "techbridge.subscriptions"
    verbose_name = _("Follows and subscriptions")

    def ready(self) -> None:
        from . import extensions, signals  # noqa: F401

        extensions.register()
