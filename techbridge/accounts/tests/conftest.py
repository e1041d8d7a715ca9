"""These tests read the English source strings (see ``techbridge.testing.fixtures.i18n``)."""

import pytest


@pytest.fixture(autouse=True)
def _english(english):
    pass
