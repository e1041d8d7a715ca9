"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries achievements wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import REVIEW_VERBS, prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("achievements", "0001_initial"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("achievements", "achievement"): prefixed(
                    "achievements.achievement",
                    {
                        **REVIEW_VERBS,
                        "add_attachment": "attachment_added",
                        "delete_attachment": "attachment_removed",
                        "accept_nda": "nda_accepted",
                    },
                ),
            }
        ),
    ]
