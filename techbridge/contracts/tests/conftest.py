"""Contracts tests: files (signed scans, PDFs) go to a temporary folder. ``achievement`` (a published
achievement of 示范大学) is a shared fixture; contracts are made with
``techbridge.testing.factories.contracts``."""

import pytest


@pytest.fixture(autouse=True)
def _media(media_root):
    pass
