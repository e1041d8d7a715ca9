"""These tests read the English source strings: pages are requested, and messages rendered, in English,
so they keep passing whatever the zh_Hans catalogue says."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
