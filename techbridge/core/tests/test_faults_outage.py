"""A database that does not answer gets a 503 with a message in Chinese, on pages and in the API, never
the 500 page; a mistake in a query stays a server error (issue 20, faults). The live outage during a
bid burst is ``auctions/tests/test_faults_database.py`` (PostgreSQL)."""

from __future__ import annotations

import json

from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.utils import translation

from techbridge.core.api import exception_handler
from techbridge.core.outage import DatabaseOutageMiddleware

LOST = OperationalError("server closed the connection unexpectedly")
REFUSED = OperationalError('database "techbridge" is not currently accepting connections')


def _middleware():
    return DatabaseOutageMiddleware(lambda request: None)


def test_an_api_call_while_the_database_is_away_gets_json_503_in_chinese():
    with translation.override("zh-hans"):
        for exc in (LOST, REFUSED, InterfaceError("connection already closed")):
            response = exception_handler(exc, {})
            assert response is not None and response.status_code == 503
            assert response.data["status"] == 503 and "数据库" in response.data["message"]
            assert "未保存" in response.data["message"] and response["Retry-After"] == "5"
        plain = _middleware().process_exception(RequestFactory().post("/api/v1/auctions/lots/1/bids/"), LOST)
    assert plain.status_code == 503 and plain["Content-Type"] == "application/json"
    assert "稍后" in json.loads(plain.content)["message"]


def test_a_page_while_the_database_is_away_gets_a_503_page_in_chinese():
    with translation.override("zh-hans"):
        response = _middleware().process_exception(RequestFactory().get("/achievements/"), LOST)
    page = response.content.decode()
    assert response.status_code == 503 and "服务暂时不可用" in page and response["Retry-After"] == "5"


def test_a_mistake_in_a_query_stays_a_server_error():
    mistake = OperationalError("no such table: achievements_nothing")
    assert _middleware().process_exception(RequestFactory().get("/"), mistake) is None
    assert exception_handler(mistake, {}) is None
