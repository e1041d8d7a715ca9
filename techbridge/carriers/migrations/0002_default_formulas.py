"""Version 1 of the evaluation formula of each family of carriers, in use from the start.

These are the platform's starting weights (points out of 100) and benchmarks (the value that earns the
full weight); they are not an official scheme. Operators publish a new version in the console when the
responsible department sets its own (every evaluation keeps the version it used).
"""

from django.db import migrations

FORMULAS = {
    "incubation": {
        "firms_incubated": ("20", "50"),
        "firms_new": ("10", "15"),
        "firms_graduated": ("15", "10"),
        "achievements_transferred": ("10", "10"),
        "jobs": ("10", "500"),
        "investment": ("15", "50000000"),
        "revenue": ("10", "200000000"),
        "events_held": ("5", "24"),
        "patents_granted": ("5", "30"),
    },
    "rd": {
        "achievements_transferred": ("20", "20"),
        "contracts_count": ("10", "30"),
        "contracts_amount": ("20", "30000000"),
        "revenue": ("10", "50000000"),
        "rd_staff": ("10", "100"),
        "patents_granted": ("10", "30"),
        "firms_incubated": ("10", "10"),
        "investment": ("10", "50000000"),
    },
    "transfer": {
        "contracts_count": ("25", "100"),
        "contracts_amount": ("35", "50000000"),
        "achievements_transferred": ("25", "30"),
        "events_held": ("10", "24"),
        "revenue": ("5", "5000000"),
    },
}
NOTES = (
    "平台初始公式：权重为满分 100 分中的分值，基准值为得满分所需的年度数值，得分 = Σ 权重 × min(申报值 ÷ 基准值, 1)。"
    "这是平台的起始参数，不是官方评价办法；主管部门确定评价细则后，请在控制台发布新版本。"
)


def load(apps, schema_editor):
    from django.utils import timezone

    Formula = apps.get_model("carriers", "EvaluationFormula")
    for family, terms in FORMULAS.items():
        Formula.objects.get_or_create(
            family=family,
            version=1,
            defaults={
                "title": "平台初始公式（第 1 版）",
                "weights": {code: w for code, (w, _b) in terms.items()},
                "benchmarks": {code: b for code, (_w, b) in terms.items()},
                "notes": NOTES,
                "status": "active",
                "activated_at": timezone.now(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("carriers", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
