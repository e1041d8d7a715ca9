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
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXY_COUNT",
]


def setup_django(*, code: str = SETUP, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests of the same run; a deployment never has it.
    ignored = {*READ_BY_SETTINGS, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored and not k.startswith("PYTEST")}
    clean.update(DJANGO_SETTINGS_MODULE="techbridge.settings", TECHBRIDGE_SKIP_DOTENV="1", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
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


def test_production_without_redis_refuses_to_start():
    """Sign-in counters kept per process would let a sprayer spread its guesses over the workers."""
    result = setup_django(TECHBRIDGE_ENV="production", DATABASE_URL=PG, SECRET_KEY="p" * 50)
    assert_refused(result, "REDIS_URL")


PRODUCTION = {
    "TECHBRIDGE_ENV": "production",
    "DATABASE_URL": PG,
    "SECRET_KEY": "k3y-" + "x7Q" * 20,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "tech.example.gov.cn",
}
DEPLOY_CHECK = (
    "import django, sys; django.setup(); from django.core.management import call_command;\n"
    "try:\n    call_command('check', deploy=True, fail_level='WARNING')\n"
    "except Exception as exc:\n    print('CHECK-FAILED', exc); sys.exit(1)\n"
    "print('CHECK-OK')"
)


def test_check_deploy_reports_nothing_in_production_settings():
    """HSTS, the HTTPS redirect and secure cookies are on by default in production."""
    result = setup_django(code=DEPLOY_CHECK, **PRODUCTION)
    assert "CHECK-OK" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]
    assert "System check identified" not in result.stderr


def test_turning_the_https_redirect_off_is_reported_by_check_deploy():
    """An operator who switches HTTPS off for an intranet sees it named, not silently accepted."""
    result = setup_django(code=DEPLOY_CHECK, SECURE_SSL_REDIRECT="0", **PRODUCTION)
    assert "CHECK-FAILED" in result.stdout
    assert "security.W008" in result.stderr + result.stdout


def test_a_proxy_header_must_be_a_request_header():
    result = setup_django(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", **PRODUCTION)
    assert_refused(result, "SECURE_PROXY_SSL_HEADER")


def test_behind_a_proxy_the_https_header_is_trusted():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('HEADER', settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE)"
    )
    result = setup_django(code=code, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO", **PRODUCTION)
    assert "HEADER ('HTTP_X_FORWARDED_PROTO', 'https') True" in result.stdout, result.stderr[-2000:]


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
