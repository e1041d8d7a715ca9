"""Load the plan's industry fields, the 67 disciplines and the deal modes."""

from django.db import migrations


def load(apps, schema_editor):
    from techbridge.taxonomy.vocab import DEAL_MODES, DISCIPLINES, INDUSTRY_FIELDS

    IndustryField = apps.get_model("taxonomy", "IndustryField")
    Discipline = apps.get_model("taxonomy", "Discipline")
    DealMode = apps.get_model("taxonomy", "DealMode")
    for order, (code, name, name_en) in enumerate(INDUSTRY_FIELDS):
        IndustryField.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
    for name, category in DISCIPLINES.items():
        Discipline.objects.update_or_create(name=name, defaults={"category": category})
    for order, (code, name, name_en) in enumerate(DEAL_MODES):
        DealMode.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
