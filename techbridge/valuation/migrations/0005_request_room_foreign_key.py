"""``ValuationRequest.room_id`` was a plain integer named like a foreign key: it becomes a real one
(``ValuationRequest.room``). The column keeps its name and its values."""

import django.db.models.deletion
from django.db import migrations, models


def forget_missing(apps, schema_editor):
    """A room that is gone cannot be pointed at; the request stays, without its room."""
    ValuationRequest = apps.get_model("valuation", "ValuationRequest")
    Room = apps.get_model("deals", "Room")
    ValuationRequest.objects.exclude(room_id=None).exclude(room_id__in=Room.objects.values("pk")).update(
        room_id=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("valuation", "0004_add_replaced_experts"),
        ("deals", "0002_rename_audit_codes"),
    ]

    operations = [
        migrations.RunPython(forget_missing, migrations.RunPython.noop),
        migrations.RenameField(model_name="valuationrequest", old_name="room_id", new_name="room"),
        migrations.AlterField(
            model_name="valuationrequest",
            name="room",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="deals.room",
                verbose_name="negotiation room",
            ),
        ),
    ]
