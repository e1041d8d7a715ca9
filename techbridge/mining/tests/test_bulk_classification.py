"""An import classifies its accepted listings in one pass per batch, not one listing at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from techbridge.achievements.models import Achievement
from techbridge.imports.services import import_file
from techbridge.mining import services
from techbridge.mining.models import ListingClassification

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "imports" / "tests" / "fixtures"


def test_an_import_batch_is_classified_in_one_pass(trained, monkeypatch, run_on_commit):
    import_file(FIXTURES / "organizations.csv", kind="organizations", source="manual", publish=True)
    calls: list[list[int]] = []
    real = services.classify_listings

    def spy(kind, pks, **kw):
        calls.append(list(pks))
        return real(kind, pks, **kw)

    monkeypatch.setattr(services, "classify_listings", spy)
    with run_on_commit(execute=True):
        report = import_file(
            FIXTURES / "achievements.jsonl", kind="achievements", source="university", publish=True
        )

    imported = list(Achievement.objects.values_list("pk", flat=True))
    assert report.created == len(imported) > 1
    assert len(calls) == 1 and sorted(calls[0]) == sorted(imported)  # one call for the whole batch
    classified = ListingClassification.objects.filter(kind="achievement", object_id__in=imported)
    assert classified.count() >= len(imported)  # every accepted listing has its prediction
