"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture
def cast(db):
    """The fixed cast of users and organisations (see techbridge/testing/cast.py)."""
    from techbridge.testing.cast import make_cast

    return make_cast()


@pytest.fixture(autouse=True)
def _inline_tasks_and_clean_cache(settings):
    """Tasks run inline in tests; the sign-in throttle starts empty."""
    from django.core.cache import cache

    settings.CELERY_BROKER_URL = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (index updates) as a committed transaction would."""
    return django_capture_on_commit_callbacks
