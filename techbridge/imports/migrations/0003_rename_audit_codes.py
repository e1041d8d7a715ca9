"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries imports wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_console_flow_and_duplicates"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("achievements", "achievement"): prefixed(
                    "achievements.achievement",
                    {
                        "import_create": "imported",
                        "import_publish": "imported",
                        "import_update": "reimported",
                        "duplicate_dismissed": "duplicate_dismissed",
                        "merge": "merged",
                        "merged_into": "merged_into",
                    },
                ),
                ("demands", "demand"): prefixed(
                    "demands.demand",
                    {
                        "import_create": "imported",
                        "import_publish": "imported",
                        "import_update": "reimported",
                        "duplicate_dismissed": "duplicate_dismissed",
                        "merge": "merged",
                        "merged_into": "merged_into",
                    },
                ),
                ("organizations", "organization"): prefixed(
                    "organizations.organization",
                    {
                        "import_approve": "imported",
                        "import_create": "imported",
                        "import_update": "reimported",
                        "demo_approve": "demo_created",
                    },
                ),
                ("accounts", "user"): prefixed(
                    "accounts.user",
                    {
                        "demo_account_create": "demo_created",
                        "demo_account_update": "demo_updated",
                    },
                ),
                ("imports", "importbatch"): prefixed(
                    "imports.batch",
                    {
                        "upload": "uploaded",
                        "check": "check_started",
                        "checked": "checked",
                        "check_failed": "check_failed",
                        "confirm": "confirmed",
                        "cancel": "cancelled",
                        "start": "started",
                    },
                ),
            }
        ),
    ]
