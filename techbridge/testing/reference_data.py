"""Reference rows that data migrations load (vocabularies, index version counters), restored on demand.

Transactional tests empty the database when they end. Serialized rollback puts the migrations' rows
back, but a browser test that follows another transactional test was seen to start without them (with
Playwright's event loop running in the main thread; plain transactional tests get them back), so the
browser fixture calls ``ensure_reference_data`` itself. Loading is idempotent.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

LOADERS = [
    ("techbridge.taxonomy.migrations.0002_load_vocabularies", "load"),
    ("techbridge.matching.migrations.0003_index_version_rows", "create"),
]
# Loaders that look for their own rows first: run every time.
SELF_CHECKING_LOADERS = [
    ("techbridge.institutions.migrations.0002_default_weights", "add_default"),
]


def ensure_reference_data() -> None:
    """Run the data migrations' loaders against the current database (no-op when the rows exist)."""
    from techbridge.taxonomy.models import IndustryField

    for module, function in SELF_CHECKING_LOADERS:
        getattr(import_module(module), function)(apps, None)
    if IndustryField.objects.exists():
        return
    for module, function in LOADERS:
        getattr(import_module(module), function)(apps, None)
