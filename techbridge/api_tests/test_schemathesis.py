"""Every operation of docs/openapi.json, fed generated input as each kind of client: no server errors.

Schemathesis generates requests from the published schema (bounded examples per operation, so the
suite stays fast) and sends them to the app in-process, anonymous, as a member and as an operator.
Any 5xx fails, with the request that caused it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hsettings

schemathesis = pytest.importorskip("schemathesis")

SCHEMA = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "openapi.json")

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]


@pytest.fixture(params=["anonymous", "buyer", "operator"])
def auth_headers(request, cast):
    from techbridge.accounts.services import issue_token

    if request.param == "anonymous":
        return {}
    user = getattr(cast, request.param)
    _token, key = issue_token(user, name="schemathesis", actor=user)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def wsgi_app():
    """The app as a WSGI server runs it, except that a request does not close the test's connection
    (as Django's test client does: on PostgreSQL that would close the test transaction)."""
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@hsettings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(case, auth_headers, wsgi_app):
    response = case.call(app=wsgi_app, headers=auth_headers)

    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}\n"
        f"query={case.query!r}\nbody={case.body!r}\n{response.text[:2000]}"
    )
