"""Hot reads compiled once (``core.prepared``): a ``ChainedRead`` gives what its two reads give one after
the other — on PostgreSQL in one statement — including when either finds nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.accounts.authentication import TOKEN_READ, digest_of
from techbridge.accounts.services import issue_token
from techbridge.auctions.services.bidding import SNAPSHOT_READ
from techbridge.core.prepared import ChainedRead
from techbridge.testing.factories.auctions import make_lot, make_session, paid

pytestmark = pytest.mark.django_db

CHAIN = ChainedRead(
    TOKEN_READ, SNAPSHOT_READ, links={"user_id": "user__id", "org_id": "user__organization_id"}
)


def test_a_chained_read_gives_what_its_two_reads_give(cast):
    session = make_session(cast)
    lot = make_lot(cast, session)
    registration = paid(cast.buyer, session, cast)
    _token, key = issue_token(cast.buyer, name="竞价终端", actor=cast.buyer)
    digest = digest_of(key)

    with CaptureQueriesContext(connection) as captured:
        token_row, lot_row = CHAIN.one(digest=digest, lot_id=lot.pk, key="nonce-0001")
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)

    assert token_row == TOKEN_READ.one(digest=digest)
    assert lot_row == SNAPSHOT_READ.one(
        lot_id=lot.pk, user_id=cast.buyer.pk, org_id=cast.buyer.organization_id, key="nonce-0001"
    )
    assert token_row is not None and lot_row is not None
    assert token_row["user__id"] == cast.buyer.pk and lot_row["reg_id"] == registration.pk
    assert lot_row["ends_at"] == lot.ends_at and lot_row["increment_ladder"] == lot.increment_ladder

    # the second read finds nothing: the first row alone; the first finds nothing: nothing at all
    assert CHAIN.one(digest=digest, lot_id=99_999_999, key="nonce-0001") == (token_row, None)
    assert CHAIN.one(digest=digest_of("not-a-token"), lot_id=lot.pk, key="nonce-0001") == (None, None)
