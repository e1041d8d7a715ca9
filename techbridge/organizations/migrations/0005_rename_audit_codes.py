"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries organizations wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_load_zones"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("organizations", "organization"): prefixed(
                    "organizations.organization",
                    {
                        "register": "registered",
                        "first_admin": "first_admin_joined",
                        "approve": "approved",
                        "reject": "rejected",
                        "edit": "edited",
                        "resubmit": "resubmitted",
                        "member_added": "member_added",
                        "member_removed": "member_removed",
                        "admin_granted": "admin_granted",
                        "admin_revoked": "admin_revoked",
                    },
                ),
                ("organizations", "membershiprequest"): prefixed(
                    "organizations.membership_request",
                    {
                        "request": "sent",
                        "approved": "approved",
                        "rejected": "rejected",
                        "cancelled": "cancelled",
                    },
                ),
            }
        ),
    ]
