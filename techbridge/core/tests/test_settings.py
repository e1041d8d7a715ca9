"""Start-up configuration: a production setting that is missing or wrong stops start-up with a message.

Each case runs ``django.setup()`` in a fresh interpreter, because settings are read once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

SETUP = "import django; django.setup(); print('SETUP-OK')"
# Variables the settings read; none of the caller's may leak into a case.
READ_BY_SETTINGS = [
    "SECRET_KEY",
    "DATABASE_URL",
    "DEBUG",
    "TECHBRIDGE_ENV",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "FULLTEXT_BACKEND",
    "LISTING_STALE_DAYS",
    "LOGIN_MAX_ATTEMPTS",
    "EMAIL_USE_TLS",
]


def setup_django(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in READ_BY_SETTINGS and not k.startswith("PYTEST")}
    clean.update(DJANGO_SETTINGS_MODULE="techbridge.settings", TECHBRIDGE_SKIP_DOTENV="1", **env)
    return subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "SETUP-OK" not in result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in last, last


PG = "postgres://techbridge:pw@127.0.0.1:5432/techbridge"


def test_production_without_secret_key_refuses_to_start():
    result = setup_django(TECHBRIDGE_ENV="production", DATABASE_URL=PG)
    assert_refused(result, "SECRET_KEY", "production")


def test_production_with_the_development_key_refuses_to_start():
    result = setup_django(
        TECHBRIDGE_ENV="production", DATABASE_URL=PG, SECRET_KEY="dev-only-insecure-key-change-me"
    )
    assert_refused(result, "SECRET_KEY")


def test_production_without_postgresql_refuses_to_start():
    result = setup_django(TECHBRIDGE_ENV="production", SECRET_KEY="x" * 50)
    assert_refused(result, "DATABASE_URL")


def test_production_with_a_secret_key_gets_past_the_key_check():
    result = setup_django(TECHBRIDGE_ENV="production", DATABASE_URL=PG, SECRET_KEY="p" * 50)
    assert "SECRET_KEY" not in (result.stderr.strip().splitlines() or [""])[-1], result.stderr[-2000:]


@pytest.mark.parametrize(
    ("env", "word"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"LISTING_STALE_DAYS": "a year"}, "LISTING_STALE_DAYS"),
        ({"DATABASE_URL": "mysql://u:p@localhost/db"}, "mysql"),
        ({"DATABASE_URL": "postgres://u:p@localhost"}, "DATABASE_URL"),
    ],
)
def test_malformed_values_are_refused_with_their_name(env, word):
    assert_refused(setup_django(**env), word)


def test_development_needs_nothing(tmp_path):
    result = setup_django(DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "SETUP-OK" in result.stdout
