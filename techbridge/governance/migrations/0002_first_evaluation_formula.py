"""Version 1 of the evaluation formula: every input weighs the same (operators set the next version)."""

from django.db import migrations

INPUTS = [
    "achievements_published",
    "achievements_refreshed",
    "demands_answered",
    "rooms_opened",
    "contracts_registered",
    "turnover",
    "licensing_income",
    "spinoffs",
    "nanjing_share",
    "days_to_contract",
]


def create(apps, schema_editor):
    Formula = apps.get_model("governance", "EvaluationFormula")
    if not Formula.objects.exists():
        Formula.objects.create(
            version=1,
            weights={code: "1" for code in INPUTS},
            note="初始版本：各项指标等权。",
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_plans_tasks_reports_evaluation_policies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
