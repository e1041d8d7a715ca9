"""The expert pool moves from valuation to talent: every ``valuation.Expert`` row is copied with its
primary key (so panel seats keep pointing at the same expert) and its fields of expertise; the
PostgreSQL sequence is reset past the copied keys; the audit entries of the experts follow them.
``valuation.0006`` then repoints panel seats and replaced experts and drops the old table."""

from django.core.management.color import no_style
from django.db import migrations


def copy_experts(apps, schema_editor):
    Old = apps.get_model("valuation", "Expert")
    New = apps.get_model("talent", "Expert")
    rows = list(Old.objects.all().order_by("pk"))
    New.objects.bulk_create(
        [
            New(
                pk=o.pk,
                user_id=o.user_id,
                title=o.title,
                bio=o.bio,
                active=o.active,
                created_at=o.created_at,
            )
            for o in rows
        ],
        batch_size=500,
    )
    OldFields, NewFields = Old.fields.through, New.fields.through
    NewFields.objects.bulk_create(
        [
            NewFields(expert_id=link.expert_id, industryfield_id=link.industryfield_id)
            for link in OldFields.objects.all().order_by("pk")
        ],
        batch_size=1000,
    )
    connection = schema_editor.connection
    sql = connection.ops.sequence_reset_sql(no_style(), [New, NewFields])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
    # Audit entries of the experts follow them to their new model.
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    old_ct = ContentType.objects.filter(app_label="valuation", model="expert").first()
    if old_ct is not None:
        new_ct, _ = ContentType.objects.get_or_create(app_label="talent", model="expert")
        AuditEntry.objects.filter(content_type=old_ct).update(content_type=new_ct)


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0001_people_training_routing"),
        ("valuation", "0002_bound_scorecard_counts_and_weights"),
        ("core", "0002_fulltext_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Irreversible: the old table is dropped by valuation.0006; going back would need the data restored.
    operations = [migrations.RunPython(copy_experts)]
