"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries demands wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0001_initial"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("demands", "demand"): prefixed(
                    "demands.demand",
                    {
                        "create": "created",
                        "edit": "edited",
                        "submit": "submitted",
                        "resubmit_after_edit": "resubmitted",
                        "approve": "published",
                        "reject": "rejected",
                        "withdraw": "withdrawn",
                        "reopen": "reopened",
                        "expire": "expired",
                        "mark_stale": "marked_stale",
                    },
                ),
            }
        ),
    ]
