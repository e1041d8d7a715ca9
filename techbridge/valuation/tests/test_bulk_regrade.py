"""An import batch of achievements is graded in one pass after the commit, not row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

from techbridge.achievements.models import Achievement
from techbridge.imports.services import import_file
from techbridge.valuation import services

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "imports" / "tests" / "fixtures"


def test_an_import_batch_is_graded_once_with_the_weights_read_once(monkeypatch, run_on_commit):
    import_file(FIXTURES / "organizations.csv", kind="organizations", source="manual", publish=True)
    reads: list[int] = []
    real = services.current_weights

    def counting_weights(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "current_weights", counting_weights)
    with run_on_commit(execute=True):
        import_file(FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True)

    imported = Achievement.objects.all()
    assert imported.count() > 1
    graded = imported.filter(valuation_scorecard__isnull=False)
    assert graded.count() == imported.count()  # every imported achievement has its scorecard row
    assert len(reads) == 1  # one batch, one read of the weights
