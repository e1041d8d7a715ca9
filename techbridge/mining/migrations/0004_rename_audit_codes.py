"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries mining wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("mining", "0003_classification_and_package_promotion"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("achievements", "achievement"): prefixed(
                    "achievements.achievement",
                    {
                        "classification_corrected": "classification_corrected",
                    },
                ),
                ("demands", "demand"): prefixed(
                    "demands.demand",
                    {
                        "classification_corrected": "classification_corrected",
                    },
                ),
                ("mining", "achievementpackage"): prefixed(
                    "mining.package",
                    {
                        "package_replaced": "replaced",
                        "package_proposed": "proposed",
                        "package_created": "created",
                        "package_updated": "updated",
                        "package_published": "published",
                        "package_archived": "archived",
                        "package_restored": "restored",
                        "package_promoted": "promoted",
                    },
                ),
                ("mining", "catalogue"): prefixed(
                    "mining.catalogue",
                    {
                        "create": "created",
                        "edit": "edited",
                        "add_entries": "entries_added",
                        "remove_entry": "entry_removed",
                        "entry_note": "entry_noted",
                        "publish": "published",
                        "unpublish": "unpublished",
                    },
                ),
            }
        ),
    ]
