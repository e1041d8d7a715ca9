"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries demands wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import REVIEW_VERBS, prefixed, rename_audit_codes


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
                    REVIEW_VERBS,
                ),
            }
        ),
    ]
