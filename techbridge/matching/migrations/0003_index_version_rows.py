# One version counter per kind of listing, so that raising it never has to create the row.

from django.db import migrations


def create(apps, schema_editor):
    IndexVersion = apps.get_model("matching", "IndexVersion")
    for kind in ("achievement", "demand"):
        IndexVersion.objects.get_or_create(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_pgvector_listing_vectors")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
