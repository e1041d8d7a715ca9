"""Fault: the database goes away during a bid burst (PostgreSQL only). Stand-in for a restart that CI can
run without stopping a server other jobs share: every connection of the app is cut
(``pg_terminate_backend``) and new ones are refused (``ALLOW_CONNECTIONS false``) until it "comes back".

Bids during the outage get a 503 with a message in Chinese (not the 500 page), none is reported
accepted without being stored, the running app recovers by itself, and the bid chain verifies (issue 20).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.db import connection

from techbridge.auctions.chain import verify_lot
from techbridge.auctions.models import Bid, Lot

pytestmark = pytest.mark.postgres


def _side_connection():
    """A connection of its own (the app's are the ones cut), as the same role as the app."""
    import psycopg

    s = connection.settings_dict
    conn = psycopg.connect(
        dbname="postgres",
        user=s["USER"],
        password=s["PASSWORD"],
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        autocommit=True,
    )
    return conn


def _outage(side, database: str, *, down: bool) -> None:
    allow = "false" if down else "true"
    side.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {allow}')
    if down:  # cut every connection of the app (not this test's own, which checks the result)
        side.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            [database, connection.connection.info.backend_pid],
        )


def _bid(base: str, lot: Lot, key: str, amount: int, nonce: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(
        f"{base}/api/v1/auctions/lots/{lot.pk}/bids/",
        data=json.dumps({"amount": str(amount), "nonce": nonce}).encode(),
        headers={
            "Authorization": f"Token {key}",
            "Content-Type": "application/json",
            "Accept-Language": "zh-hans",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        body = error.read()
        return (
            error.code,
            (json.loads(body) if body.startswith(b"{") else {"page": body.decode()}),
            (error.headers.get("Content-Type", "")),
        )


def test_bids_during_a_database_outage_get_a_503_in_chinese_and_the_app_recovers_by_itself(
    live_server, transactional_db, django_db_serialized_rollback, cast, session, lot, bidders
):
    if connection.vendor != "postgresql":
        pytest.skip("a database server to lose: PostgreSQL only")
    from techbridge.accounts.services import issue_token

    keys = {}
    for user in (cast.buyer, cast.broker):
        _token, keys[user.pk] = issue_token(user, name="burst", actor=user)
    order = [cast.buyer, cast.broker] * 8
    amount = 100000
    accepted: dict[str, int] = {}
    refused_503: list[tuple[str, int, int]] = []
    database = connection.settings_dict["NAME"]
    side = _side_connection()
    try:
        for n, user in enumerate(order):
            if n == 5:
                _outage(side, database, down=True)
            if n == 11:
                _outage(side, database, down=False)
            nonce = f"burst-{n:04d}-{user.pk}"
            code, body, content_type = _bid(live_server.url, lot, keys[user.pk], amount, nonce)
            if 5 <= n < 11:  # an even number of refused bids: the two bidders still alternate
                assert code == 503, body
                assert content_type.startswith("application/json")
                assert body["status"] == 503 and "数据库" in body["message"] and "稍后" in body["message"]
                refused_503.append((nonce, amount, user.pk))
                continue
            assert code == 201, body  # the app is back without a restart
            assert body["accepted"] is True
            accepted[nonce] = amount
            amount += 1000
    finally:
        _outage(side, database, down=False)
        side.close()

    # Only what was reported accepted is stored, each once; nothing of the outage was stored.
    assert Bid.objects.filter(lot=lot).count() == len(accepted) == 10
    assert sorted(Bid.objects.filter(lot=lot).values_list("amount", flat=True)) == sorted(
        Decimal(a) for a in accepted.values()
    )
    # A bid refused with 503 may simply be sent again: it is placed now, once.
    nonce = refused_503[0][0]
    answers = []
    for user in (cast.buyer, cast.broker):  # whichever of the two is not leading now
        code, body, _ct = _bid(live_server.url, lot, keys[user.pk], amount, f"{nonce}-{user.pk}")
        answers.append((code, body["code"]))
        if code == 201:
            break
    assert answers[-1] == (201, "accepted") and all(c == "leading" for _code, c in answers[:-1]), answers
    lot.refresh_from_db()
    assert lot.bid_count == 11 and lot.current_price == Decimal(amount)
    assert verify_lot(lot) == []
