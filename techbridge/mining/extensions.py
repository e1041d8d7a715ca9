"""Mining's menu entries, console sections and the classification panel on listing pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def _pickable_packages(user):  # type: ignore[no-untyped-def]
    from techbridge.core.permissions import signed_in

    from .models import AchievementPackage

    if not signed_in(user):
        return AchievementPackage.objects.none()
    return AchievementPackage.objects.filter(status="published")


def register() -> None:
    from . import permissions as perms
    from . import signals

    # Published packages grow with every clustering run: forms pick them by typing.
    registry.register_picker(
        registry.PickerKind(
            "packages",
            visible=_pickable_packages,
            label=lambda p: p.title,
            fields=("title",),
            name_field="title",
        )
    )

    registry.register_nav("portal", _("Achievement packages"), "mining:packages", group="market", order=30)
    registry.register_nav("portal", _("Catalogues"), "mining:catalogues", group="information", order=10)
    console = [
        (
            _("Achievement catalogues"),
            "mining_console:catalogues",
            "console.market",
            30,
            perms.can_manage_catalogues,
        ),
        (
            _("Achievement packages"),
            "mining_console:packages",
            "console.market",
            31,
            perms.can_manage_packages,
        ),
        (
            _("Classification review"),
            "mining_console:classification",
            "console.review",
            40,
            perms.can_correct_classification,
        ),
        (
            _("Supply and demand analysis"),
            "mining_console:analysis",
            "console.data",
            10,
            perms.can_see_analysis,
        ),
    ]
    for label, url_name, group, order, visible in console:
        registry.register_nav("console", label, url_name, group=group, order=order, visible=visible)
    registry.register_panel("achievement.detail", "mining/partials/classification_panel.html", order=70)
    registry.register_panel("demand.detail", "mining/partials/classification_panel.html", order=70)
    registry.register_daily_sweep(signals.classify_all_listings)
    _register_audit_labels()


def _register_audit_labels() -> None:
    from techbridge.achievements.models import Achievement
    from techbridge.core import audit
    from techbridge.demands.models import Demand

    registry.register_audit_labels(
        {
            **{
                audit.code(m, "classification_corrected"): _("Classification corrected")
                for m in (Achievement, Demand)
            },
            "mining.package.proposed": _("Package proposed"),
            "mining.package.replaced": _("Replaced by a new proposal"),
            "mining.package.created": _("Package created"),
            "mining.package.updated": _("Package changed"),
            "mining.package.published": _("Package published"),
            "mining.package.archived": _("Package archived"),
            "mining.package.restored": _("Package restored as draft"),
            "mining.package.promoted": _("Package promoted to enterprises"),
            "mining.catalogue.created": _("Catalogue created"),
            "mining.catalogue.edited": _("Catalogue edited"),
            "mining.catalogue.entries_added": _("Achievements added"),
            "mining.catalogue.entry_removed": _("Achievement removed"),
            "mining.catalogue.entry_noted": _("Note on an achievement changed"),
            "mining.catalogue.published": _("Catalogue published"),
            "mining.catalogue.unpublished": _("Catalogue withdrawn"),
        }
    )
    from . import catalogues

    registry.documents.register(
        registry.DocumentKind(
            key="mining.catalogue",
            model="mining.Catalogue",
            render=catalogues.render_catalogue_pdf,
            source=catalogues.catalogue_source,
            filename=catalogues.catalogue_filename,
        )
    )
