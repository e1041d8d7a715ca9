"""Every operation of docs/openapi.json, fed generated input as each kind of client: no server errors,
and every answer is one the schema promises.

Schemathesis generates requests from the published schema (bounded examples per operation, so the
suite stays fast) and sends them to the app in-process, each example as one role of the cast (anonymous
or a token of researcher, univ_admin, buyer, broker, reviewer, operator, official, outsider, stranger:
the role is drawn with the example, so all ten are covered without multiplying the requests). Each
response is checked: no 5xx, a documented status code, a documented content type, and a body that
conforms to the documented schema. A failure names the request that caused it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "openapi.json")

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]


ROLES = (
    "anonymous",
    "researcher",
    "univ_admin",
    "buyer",
    "broker",
    "reviewer",
    "operator",
    "official",
    "outsider",
    "stranger",
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def role_headers(cast):
    """The request headers of each role: none for anonymous, an API token for the others."""
    from techbridge.accounts.services import issue_token

    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ROLES[1:]:
        user = getattr(cast, role)
        _token, key = issue_token(user, name="schemathesis", actor=user)
        headers[role] = {"Authorization": f"Token {key}"}
    return headers


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
@SCHEMA.given(role=st.sampled_from(ROLES))
@hsettings(
    max_examples=9,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_one_the_schema_promises(case, role, role_headers, wsgi_app):
    headers = role_headers[role]
    response = case.call(app=wsgi_app, headers=headers)

    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} as {role} → {response.status_code}\n"
        f"query={case.query!r}\nbody={case.body!r}\n{response.text[:2000]}"
    )
    case.validate_response(response, checks=CHECKS, headers=headers)
