"""SM3 through OpenSSL (``hashlib``) with gmssl as the fallback: the same digests as the gmssl chain
written before the change, and a chain stored then still verifies."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from techbridge.auctions import chain
from techbridge.auctions.models import Bid, Lot
from techbridge.lib import sm3
from techbridge.testing.factories.auctions import RegistrationFactory, make_lot

FIXTURE = Path(__file__).parent / "fixtures" / "chain_hashed_with_gmssl.json"

# GB/T 32905-2016 appendix A, example 1, and digests gmssl 3.2 gave for the platform's payloads.
KNOWN = {
    b"abc": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    b"abcd" * 16: "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
    "竞价|锂电池隔膜".encode(): sm3.gmssl_sm3_hex("竞价|锂电池隔膜".encode()),
    b"": "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
}


def test_openssl_is_used_when_it_has_sm3():
    assert sm3.BACKEND == "openssl"


@pytest.mark.parametrize("data", list(KNOWN))
def test_openssl_and_gmssl_give_the_known_digests(data):
    assert sm3.sm3_bytes_hex(data) == KNOWN[data]
    assert sm3.gmssl_sm3_hex(data) == KNOWN[data]


def test_gmssl_is_the_fallback_when_openssl_lacks_sm3(monkeypatch):
    monkeypatch.setattr(sm3, "_openssl", None)
    assert sm3.sm3_hex("abc") == KNOWN[b"abc"]


@pytest.mark.django_db
def test_verify_auction_accepts_a_chain_written_with_gmssl_before_the_change(cast, session, capsys):
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    end = datetime.fromisoformat(doc["scheduled_end_at"])
    lot = make_lot(cast, session, id=doc["lot_id"], ends_at=end, starts_at=end.replace(hour=9, minute=0))
    regs = {
        rid: RegistrationFactory(id=rid, session=session, user=user)
        for rid, user in zip(doc["registration_ids"], [cast.buyer, cast.broker], strict=True)
    }
    for row in doc["bids"]:
        Bid.objects.create(
            lot=lot,
            registration=regs[row["registration_id"]],
            seq=row["seq"],
            amount=Decimal(row["amount"]),
            kind=row["kind"],
            nonce=row["nonce"],
            created_at=datetime.fromisoformat(row["created_at"]),
            ends_after=datetime.fromisoformat(row["ends_after"]),
            prev_hash=row["prev_hash"],
            hash=row["hash"],
        )
    last = doc["bids"][-1]
    Lot.objects.filter(pk=lot.pk).update(
        head_hash=last["hash"], bid_count=len(doc["bids"]), current_price=Decimal(last["amount"])
    )
    stored = Bid.objects.get(lot=lot, seq=1)
    assert chain.hash_bid(stored) == doc["bids"][0]["hash"]
    call_command("verify_auction", str(lot.pk))
    assert "SM3 chain intact" in capsys.readouterr().out
