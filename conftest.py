"""Project-wide pytest fixtures; shared fixtures by topic in ``techbridge/testing/fixtures/``."""

import os
import pkgutil

import pytest

import techbridge.testing.fixtures as _shared_fixtures

pytest_plugins = sorted(
    f"{_shared_fixtures.__name__}.{module.name}" for module in pkgutil.iter_modules(_shared_fixtures.__path__)
)


@pytest.fixture
def cast(db):
    """The fixed cast of users and organisations (see techbridge/testing/cast.py)."""
    from techbridge.testing.cast import make_cast

    return make_cast()


@pytest.fixture(autouse=True)
def _inline_tasks_and_clean_cache(settings, tmp_path_factory):
    """Tasks run inline in tests; the sign-in throttle starts empty; uploads go to a throw-away folder."""
    from django.core.cache import cache

    settings.CELERY_BROKER_URL = ""
    # Background tasks run in the request after it commits, so a test sees their result at once.
    settings.EMBEDDED_TASKS = "inline"
    # No test reads a classifier a developer trained under var/; tests that need one set their own folder.
    settings.MINING_MODEL_DIR = os.path.join(settings.BASE_DIR, "var", "models", "no-model-in-tests")
    # Production hashes with Django's default (PBKDF2); tests use a fast hasher so the cast is cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files written by tests (the permission matrix's attachments) never land in var/media.
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    # Writing an audit code that has no registered words is an error (core/tests/test_audit_codes.py).
    settings.AUDIT_CODES_STRICT = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (index updates) as a committed transaction would."""
    return django_capture_on_commit_callbacks


# ---- browser tests (marker ``browser``) -------------------------------------------------------------
# Debian's Chromium (TECHBRIDGE_CHROMIUM overrides the path) driven by Playwright; nothing is
# downloaded. Without /usr/bin/chromium the tests skip, unless TECHBRIDGE_REQUIRE_BROWSER=1 (CI),
# where they fail.

CHROMIUM = os.environ.get("TECHBRIDGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("TECHBRIDGE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason} (TECHBRIDGE_REQUIRE_BROWSER=1, so this fails instead of skipping)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _chromium():
    """One headless Chromium for the whole run."""
    if not os.access(CHROMIUM, os.X_OK):
        _browser_unavailable(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("the playwright package is missing: make install")
    # Playwright's sync API keeps an event loop running in this thread until it stops, that is for the
    # rest of the session; Django would then refuse every (synchronous) ORM call, in browser tests and
    # in the tests that follow them, so its async-safety check is switched off while Chromium runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:
        playwright.stop()
        _browser_unavailable(f"Chromium did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context_options() -> dict:
    """How ``browser_page`` opens its browser context: Chinese locale, 1280×900. A test module that
    needs another screen (a phone) overrides this fixture."""
    return {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def browser_page(_chromium, browser_context_options):
    """A fresh page in its own browser context (own cookies), per ``browser_context_options``."""
    context = _chromium.new_context(**browser_context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class LiveBrowser:
    """A Chromium page pointed at pytest-django's ``live_server``.

    ``goto(path)`` opens a page and checks its HTTP status; ``login(user)`` signs the browser in
    through a session cookie (no form round trip).
    """

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, status: int | None = 200):
        response = self.page.goto(self.url(path), wait_until="domcontentloaded")
        assert response is not None, f"no response for {path}"
        if status is not None:
            assert response.status == status, f"GET {path}: HTTP {response.status}, expected {status}"
        return response

    def login(self, user) -> None:
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )


@pytest.fixture
def live_browser(browser_page, live_server, transactional_db, django_db_serialized_rollback):
    """``LiveBrowser`` on the live server.

    Data the test creates is committed, so the server thread sees it. The database is flushed after
    the test; serialized rollback restores what migrations loaded (vocabularies) before each test.
    """
    from techbridge.testing.reference_data import ensure_reference_data

    ensure_reference_data()
    return LiveBrowser(browser_page, live_server.url)
