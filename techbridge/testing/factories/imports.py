"""Imports (导入): an import batch straight in the database, as a command-line run leaves it."""

from __future__ import annotations

import factory

from techbridge.imports.models import ImportBatch


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A running import of achievements from the national source (国家科技成果库), no rows counted yet."""

    class Meta:
        model = ImportBatch

    kind = "achievements"
    source = "national"
    file_name = factory.Sequence(lambda n: f"成果汇总{n:03d}.xlsx")
    status = ImportBatch.Status.RUNNING
