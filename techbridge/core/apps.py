import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "techbridge.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import registry, scheduler

        # The drop-downs of the site menu and the sections of the console home; apps place links in them.
        for key, label, order in (
            ("market", _("Market"), 10),
            ("services", _("Services"), 20),
            ("information", _("Information"), 30),
        ):
            registry.nav_groups.register(registry.NavGroup(key, label, order))
        for key, label, order in (
            ("review", _("Review"), 110),
            ("market", _("Market operations"), 120),
            ("services", _("Service ecosystem"), 130),
            ("data", _("Data and statistics"), 140),
            ("administration", _("Administration"), 150),
        ):
            registry.nav_groups.register(registry.NavGroup(f"console.{key}", label, order))
        registry.register_audit_labels(
            {
                "core.document.queued": _("Document queued for generation"),
                "core.document.started": _("Document generation started"),
                "core.document.generated": _("Document generated"),
                "core.document.failed": _("Document generation failed"),
                "core.document.requeued": _("Document queued again"),
                "core.document.recovered": _("Document generation interrupted; queued again"),
            }
        )
        if scheduler.should_start():
            scheduler.start()
        if "runserver" in sys.argv:
            from . import tasks

            tasks.serve_in_background()
