"""The import console and the duplicates queue in the console's sections."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def register() -> None:
    from .permissions import can_decide_duplicates, can_import

    register_import_kinds()
    registry.register_nav(
        "console",
        _("Bulk import"),
        "mining_console:imports_console:list",
        group="console.administration",
        order=10,
        visible=can_import,
    )
    registry.register_nav(
        "console",
        _("Possible duplicates"),
        "mining_console:imports_console:duplicates",
        group="console.review",
        order=50,
        visible=can_decide_duplicates,
    )


def register_import_kinds() -> None:
    """The catalogue's kinds of record: achievements, patents, demands and organisations."""
    from .importers.listings import AchievementImporter, DemandImporter, PatentImporter
    from .importers.organizations import OrganizationImporter
    from .models import DuplicatePair
    from .registry import ImportKind, register_import_kind
    from .sample_files import CATALOGUE_TEMPLATES, vocabulary_notes

    listing_notes = vocabulary_notes()
    for order, (importer, label, duplicates, notes) in enumerate(
        (
            (AchievementImporter, _("Achievements"), DuplicatePair.Kind.ACHIEVEMENT, listing_notes),
            (PatentImporter, _("Patents"), DuplicatePair.Kind.ACHIEVEMENT, listing_notes),
            (DemandImporter, _("Demands"), DuplicatePair.Kind.DEMAND, listing_notes),
            (OrganizationImporter, _("Organisations"), None, ()),
        )
    ):
        template_label, columns = CATALOGUE_TEMPLATES[importer.kind]
        register_import_kind(
            ImportKind(
                importer.kind,
                label,
                importer,
                template_label=template_label,
                template=tuple(columns),
                duplicates=duplicates,
                notes=notes,
                order=order,
            )
        )
