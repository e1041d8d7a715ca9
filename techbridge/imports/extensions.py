"""The import console and the duplicates queue in the console's sections."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def register() -> None:
    from .permissions import can_decide_duplicates, can_import

    register_import_kinds()
    register_audit_labels()
    registry.register_daily_sweep(recover_interrupted_imports)
    registry.register_nav(
        "console",
        _("Bulk import"),
        "imports_console:list",
        group="console.administration",
        order=10,
        visible=can_import,
    )
    registry.register_nav(
        "console",
        _("Possible duplicates"),
        "imports_console:duplicates",
        group="console.review",
        order=50,
        visible=can_decide_duplicates,
    )


def recover_interrupted_imports() -> int:
    """Daily sweep (and on start of the embedded server): imports whose process was killed."""
    from .batches import recover_stale

    return recover_stale()


def register_audit_labels() -> None:
    from techbridge.achievements.models import Achievement
    from techbridge.core import audit
    from techbridge.demands.models import Demand

    labels = {
        "imports.batch.uploaded": _("File uploaded"),
        "imports.batch.check_started": _("Check of the rows started"),
        "imports.batch.checked": _("Rows checked"),
        "imports.batch.check_failed": _("Check failed"),
        "imports.batch.confirmed": _("Import confirmed"),
        "imports.batch.cancelled": _("Import cancelled"),
        "imports.batch.started": _("Import started"),
        "imports.batch.finished": _("Import finished"),
        "imports.batch.failed": _("Import failed"),
        "imports.batch.interrupted": _("Import interrupted"),
        "imports.batch.resumed": _("Import resumed"),
        "imports.duplicate_pair.merged": _("Merged"),
        "imports.duplicate_pair.dismissed": _("Not duplicates"),
        # Demo data (manage.py demo_accounts).
        "organizations.organization.demo_created": _("Demo organisation created"),
        "accounts.user.demo_created": _("Demo account created"),
        "accounts.user.demo_updated": _("Demo account repaired"),
    }
    for model in (Achievement, Demand):
        labels[audit.code(model, "duplicate_dismissed")] = _("Marked as not a duplicate")
        labels[audit.code(model, "merged")] = _("Merged with a duplicate (kept)")
        labels[audit.code(model, "merged_into")] = _("Merged into another record")
    registry.register_audit_labels(labels)


def register_import_kinds() -> None:
    """The built-in kinds of record: achievements, patents, demands and organisations."""
    from .importers.listings import AchievementImporter, DemandImporter, PatentImporter
    from .importers.organizations import OrganizationImporter
    from .models import DuplicatePair
    from .registry import ImportKind, register_import_kind
    from .sample_files import BUILT_IN_TEMPLATES, vocabulary_notes

    listing_notes = vocabulary_notes()
    for order, (importer, label, duplicates, notes) in enumerate(
        (
            (AchievementImporter, _("Achievements"), DuplicatePair.Kind.ACHIEVEMENT, listing_notes),
            (PatentImporter, _("Patents"), DuplicatePair.Kind.ACHIEVEMENT, listing_notes),
            (DemandImporter, _("Demands"), DuplicatePair.Kind.DEMAND, listing_notes),
            (OrganizationImporter, _("Organisations"), None, ()),
        )
    ):
        template_label, columns = BUILT_IN_TEMPLATES[importer.kind]
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
