"""The scorecard's first weights version: basic conditions 10, service performance 30, service
capability 30, governance 20, social credit 10 (the demonstration-institution scorecard)."""

from django.db import migrations


def add_default(apps, schema_editor):
    Weights = apps.get_model("institutions", "ScorecardWeights")
    if not Weights.objects.exists():
        Weights.objects.create(
            version=1,
            basics=10,
            performance=30,
            capability=30,
            governance=20,
            credit=10,
            note="默认权重：基础条件10、服务绩效30、服务能力30、内部治理20、社会信用10",
        )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_institutions_scores_credit")]

    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
