"""Imports that outlive their process, and checks that never hold the database for the whole file.

Issue 20 points 1 and 11: a 15,000-row check held SQLite's write lock for a minute while bids failed;
an import killed part-way stayed "running" for ever.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from techbridge.achievements.models import Achievement
from techbridge.core.models import AuditEntry
from techbridge.imports import batches
from techbridge.imports.models import ImportBatch
from techbridge.imports.readers import read_rows
from techbridge.imports.registry import import_kind

from .test_console_import import GOOD, NS, achievements_xlsx, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    pass


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch):
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))


def rows_of(n: int) -> list[list]:
    return [[f"L-{i}", f"第{i}项耐高温隔膜", *GOOD[2:]] for i in range(n)]


def kill_while_running(batch: ImportBatch, *, imported: int, minutes_ago: int = 60) -> None:
    """What a killed worker leaves behind: running, some rows done, no progress since."""
    then = timezone.now() - timedelta(minutes=minutes_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, created_count=imported, heartbeat_at=then, started_at=then
    )


def test_the_check_reads_the_file_outside_any_transaction(orgs, tmp_path):
    """Rows are checked in short rolled-back transactions; between them the write lock is free."""
    path = tmp_path / "many.xlsx"
    path.write_bytes(achievements_xlsx(rows_of(250)).read())
    outside = len(connection.savepoint_ids)  # the test's own transaction
    depth_when_read: list[int] = []
    depth_when_checked: list[int] = []

    def watched():
        for row in read_rows(path):
            depth_when_read.append(len(connection.savepoint_ids))
            yield row

    importer = import_kind("achievements").importer(source="university", publish=True, file_name="many.xlsx")
    run_chunk = importer._run_chunk

    def chunk(rows, *args, **kwargs):
        depth_when_checked.append(len(connection.savepoint_ids))
        assert len(rows) <= 100
        return run_chunk(rows, *args, **kwargs)

    importer._run_chunk = chunk
    report = importer.validate(watched())

    assert report.created == 250, report.refused[:3]
    assert depth_when_read == [outside] * 250  # no transaction open while the file is read
    assert depth_when_checked == [outside + 1] * 3  # three short transactions of at most 100 rows
    assert not Achievement.objects.exists()  # the check wrote nothing


def test_an_import_killed_while_running_is_marked_interrupted_and_resumed(cast, client, orgs):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    kill_while_running(batch, imported=1)

    page = client.get(reverse(f"{NS}:detail", args=[batch.pk])).content.decode()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "中断" in batch.message and "1" in batch.message
    assert "继续导入" in page or "Resume the import" in page
    assert AuditEntry.objects.filter(action="imports.batch.interrupted").count() == 1

    client.post(reverse(f"{NS}:resume", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED
    # The row imported before the kill is found unchanged, not imported twice.
    assert (batch.created_count, batch.unchanged_count) == (0, 1)
    assert Achievement.objects.count() == 1
    assert AuditEntry.objects.filter(action="imports.batch.resumed").count() == 1


def test_a_running_import_that_shows_progress_is_left_alone(cast, orgs, client):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")
    kill_while_running(batch, imported=0, minutes_ago=1)

    assert batches.recover_stale() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING


def test_the_sweep_recovers_a_lost_check_and_a_lost_queue_entry(cast, client, orgs, monkeypatch):
    client.force_login(cast.operator)
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: None)  # the tasks are lost
    upload(client, [GOOD])
    checking = ImportBatch.objects.latest("pk")
    upload(client, [GOOD])
    queued = ImportBatch.objects.latest("pk")
    old = timezone.now() - timedelta(hours=1)
    ImportBatch.objects.filter(pk=queued.pk).update(status=ImportBatch.Status.QUEUED, preview={"created": 1})
    ImportBatch.objects.filter(pk__in=[checking.pk, queued.pk]).update(heartbeat_at=old, started_at=old)
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))

    assert batches.recover_stale() == 2

    checking.refresh_from_db()
    queued.refresh_from_db()
    assert checking.status == ImportBatch.Status.PREVIEWED
    assert queued.status == ImportBatch.Status.FINISHED and queued.created_count == 1


def test_a_command_line_run_killed_part_way_fails_with_what_to_do(cast):
    batch = ImportBatch.objects.create(kind="achievements", source="university", file_name="big.jsonl")
    kill_while_running(batch, imported=500)

    assert batches.recover_stale() == 1

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "500" in batch.message
    assert not batches.is_resumable(batch)


def test_only_an_interrupted_import_can_be_resumed(cast, client, orgs):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")

    response = client.post(f"/api/v1/imports/batches/{batch.pk}/resume/")

    assert response.status_code == 400
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_the_api_detail_reports_an_interrupted_import(cast, client, orgs):
    client.force_login(cast.operator)
    upload(client, [GOOD])
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    kill_while_running(batch, imported=1)

    body = client.get(f"/api/v1/imports/batches/{batch.pk}/").json()

    assert body["status"] == "failed"
    resumed = client.post(f"/api/v1/imports/batches/{batch.pk}/resume/").json()
    assert resumed["status"] == "finished"
