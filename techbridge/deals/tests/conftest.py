"""Deals tests: message attachments go to a temporary folder. ``achievement`` (a published achievement
of 示范大学) is a shared fixture; demands and contracts come from ``techbridge.testing.factories``."""

import pytest


@pytest.fixture(autouse=True)
def _media(media_root):
    pass
