"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries contracts wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_contracts_signatures_payments"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("contracts", "contract"): prefixed(
                    "contracts.contract",
                    {
                        "create": "drafted",
                        "enter_external": "entered",
                        "update": "edited",
                        "set_schedule": "schedule_set",
                        "cancel": "cancelled",
                        "sign": "party_signed",
                        "signed_by_both": "signed",
                        "superseded": "superseded",
                        "amend": "amended",
                        "record_payment": "payment_recorded",
                        "milestone": "milestone_reached",
                        "submit": "submitted",
                        "register": "registered",
                        "reject_registration": "registration_rejected",
                    },
                ),
            }
        ),
    ]
