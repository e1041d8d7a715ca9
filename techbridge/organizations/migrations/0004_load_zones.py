"""The two zones the action plan names beside the districts; operators add parks as rows."""

from django.db import migrations

ZONES = [
    ("jiangbei", "江北新区", 1),
    ("hitech", "南京高新区", 2),
]


def load(apps, schema_editor):
    Zone = apps.get_model("organizations", "Zone")
    for code, name, order in ZONES:
        Zone.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_add_zones")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
