"""Audit codes become ``app.model.verb`` (issue 11): rename the codes of entries valuation wrote."""

from django.db import migrations

from techbridge.core.audit_migrations import prefixed, rename_audit_codes


class Migration(migrations.Migration):
    dependencies = [
        ("valuation", "0002_bound_scorecard_counts_and_weights"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        rename_audit_codes(
            {
                ("valuation", "scorecardweights"): prefixed(
                    "valuation.scorecard_weights",
                    {
                        "set_weights": "saved",
                    },
                ),
                ("achievements", "achievement"): prefixed(
                    "achievements.achievement",
                    {
                        "valuation_scorecard": "scorecard_updated",
                    },
                ),
                ("valuation", "valuationrequest"): prefixed(
                    "valuation.request",
                    {
                        "create": "created",
                        "edit_assumptions": "assumptions_edited",
                        "cancel": "cancelled",
                        "assign_panel": "panel_assigned",
                        "replace_expert": "expert_replaced",
                        "expert_score": "expert_scored",
                        "issue": "issued",
                    },
                ),
                ("valuation", "expert"): prefixed(
                    "valuation.expert",
                    {
                        "save_expert": "saved",
                    },
                ),
            }
        ),
    ]
