"""``Lot.contract_id``/``room_id`` were plain integers named like foreign keys: they become real ones
(``Lot.contract``, ``Lot.room``). The columns keep their names and their values."""

import django.db.models.deletion
from django.db import migrations, models


def forget_missing(apps, schema_editor):
    """An id whose record is gone cannot become a foreign key: the hand-off is tried again instead."""
    Lot = apps.get_model("auctions", "Lot")
    Contract = apps.get_model("contracts", "Contract")
    Room = apps.get_model("deals", "Room")
    lots = Lot.objects.all()
    lots.exclude(contract_id=None).exclude(contract_id__in=Contract.objects.values("pk")).update(
        contract_id=None, handoff_error="The contract draft no longer exists."
    )
    lots.exclude(room_id=None).exclude(room_id__in=Room.objects.values("pk")).update(
        room_id=None, handoff_error="The negotiation room no longer exists."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auctions", "0003_rename_audit_codes"),
        ("contracts", "0002_rename_audit_codes"),
        ("deals", "0002_rename_audit_codes"),
    ]

    operations = [
        migrations.RunPython(forget_missing, migrations.RunPython.noop),
        migrations.RenameField(model_name="lot", old_name="contract_id", new_name="contract"),
        migrations.AlterField(
            model_name="lot",
            name="contract",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contracts.contract",
                verbose_name="contract draft",
            ),
        ),
        migrations.RenameField(model_name="lot", old_name="room_id", new_name="room"),
        migrations.AlterField(
            model_name="lot",
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
