"""Fixtures of the imports tests: the organisations of ``fixtures/organizations.csv`` imported."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def orgs(db):
    """The test university and enterprise (示例测试大学 and its partner), imported and approved."""
    from techbridge.imports.services import import_file

    report = import_file(FIXTURES / "organizations.csv", kind="organizations", source="manual", publish=True)
    assert report.created == 2
    return report
