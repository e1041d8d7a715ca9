"""Fault: the worker importing a confirmed batch is killed (SIGKILL) while it writes; the chunk it was
writing is rolled back whole, the batch is found interrupted, and resuming it imports every row once
(issue 20, "kill a worker mid-import")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.achievements.models import Achievement
from techbridge.imports import batches
from techbridge.imports.models import ImportBatch

from .test_console_import import GOOD, NS, upload


@pytest.fixture(autouse=True)
def _media(media_root):
    pass


def test_an_import_killed_while_writing_is_found_interrupted_and_resumed_without_duplicates(
    fault_worker, cast, client, orgs, monkeypatch
):
    rows = [[f"K-{i}", f"第{i}项耐高温隔膜", *GOOD[2:]] for i in range(5)]
    client.force_login(cast.operator)
    upload(client, rows)
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportBatch.Status.PREVIEWED
    monkeypatch.setattr(batches, "enqueue", lambda task, *args: None)  # the worker below runs it
    client.post(reverse(f"{NS}:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED

    worker = fault_worker.start(
        "shell",
        "-c",
        f"from techbridge.imports.tasks import run_batch; run_batch({batch.pk})",
        pause="imports/chunk/written",  # every row of the chunk written, not yet committed
    )
    fault_worker.kill(worker)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    assert not Achievement.objects.exists()  # the chunk was rolled back whole: nothing half-written

    # No progress for longer than IMPORT_STALE_MINUTES: the next look at the batch finds it interrupted.
    then = timezone.now() - timedelta(hours=1)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=then, started_at=then)
    page = client.get(reverse(f"{NS}:detail", args=[batch.pk])).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "中断" in batch.message
    assert "继续导入" in page or "Resume the import" in page

    monkeypatch.setattr(batches, "enqueue", lambda task, *args: task(*args))
    client.post(reverse(f"{NS}:resume", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED and batch.created_count == 5
    assert sorted(Achievement.objects.values_list("title", flat=True)) == sorted(r[1] for r in rows)
