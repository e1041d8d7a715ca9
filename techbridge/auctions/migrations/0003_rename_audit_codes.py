"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries auctions wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("auctions", "0002_bound_lot_timings"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("auctions", "auctionsession"): prefixed(
                    "auctions.session",
                    {
                        "auctions.session_created": "created",
                        "auctions.session_updated": "updated",
                        "auctions.session_published": "published",
                        "auctions.session_cancelled": "cancelled",
                        "auctions.session_closed": "closed",
                    },
                ),
                ("auctions", "lot"): prefixed(
                    "auctions.lot",
                    {
                        "auctions.lot_created": "created",
                        "auctions.lot_updated": "updated",
                        "auctions.lot_submitted": "submitted",
                        "auctions.lot_reopened": "reopened",
                        "auctions.lot_listed": "listed",
                        "auctions.lot_rejected": "rejected",
                        "auctions.lot_withdrawn": "withdrawn",
                        "auctions.bid_accepted": "bid_accepted",
                        "auctions.proxy_set": "proxy_set",
                        "auctions.lot_closed": "closed",
                        "auctions.contract_drafted": "contract_drafted",
                        "auctions.negotiation_opened": "negotiation_opened",
                    },
                ),
                ("auctions", "registration"): prefixed(
                    "auctions.registration",
                    {
                        "auctions.bidder_registered": "created",
                        "auctions.deposit_paid": "deposit_paid",
                        "auctions.deposit_refunded": "deposit_refunded",
                        "auctions.deposit_forfeited": "deposit_forfeited",
                    },
                ),
                ("auctions", "roadshow"): prefixed(
                    "auctions.roadshow",
                    {
                        "auctions.roadshow_saved": "saved",
                        "auctions.roadshow_published": "published",
                        "auctions.roadshow_registered": "seat_taken",
                        "auctions.roadshow_cancelled": "seat_released",
                    },
                ),
            }
        ),
    ]
