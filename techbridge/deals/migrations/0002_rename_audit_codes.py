"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries deals wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0001_rooms_messages_offers"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("deals", "room"): prefixed(
                    "deals.room",
                    {
                        "open": "opened",
                        "accept_nda": "nda_accepted",
                        "agree": "agreed",
                        "invite_broker": "broker_invited",
                        "raise_dispute": "dispute_raised",
                        "resolve_dispute": "dispute_resolved",
                        "reopen": "reopened",
                        "close": "closed",
                    },
                ),
                ("deals", "offer"): prefixed(
                    "deals.offer",
                    {
                        "offer": "made",
                        "supersede": "superseded",
                        "accept": "accepted",
                        "decline": "declined",
                        "withdraw": "withdrawn",
                    },
                ),
            }
        ),
    ]
