"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries accounts wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("accounts", "user"): prefixed(
                    "accounts.user",
                    {
                        "sign_up": "signed_up",
                        "edit_profile": "profile_edited",
                    },
                ),
            }
        ),
    ]
