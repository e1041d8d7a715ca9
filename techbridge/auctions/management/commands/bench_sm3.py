"""Benchmark the SM3 bid chain: OpenSSL (``hashlib``) against gmssl, per hash and for ``verify_lot``.

``verify_lot`` is timed on an in-memory chain of ``--bids`` bids (the database read is the same for both
implementations and is left out), so the ratio is the one ``verify_auction`` gains from the hashing.
``--out`` writes the section into docs/benchmarks.md.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from techbridge.auctions import chain
from techbridge.lib import sm3

TITLE = "## Auctions: SM3 chain hashing"


class _Bids(list[Any]):
    def order_by(self, *fields: str) -> _Bids:
        return self


def _chain(n: int) -> SimpleNamespace:
    end = datetime(2026, 3, 2, 10, tzinfo=UTC)
    lot = SimpleNamespace(
        format="english", scheduled_end_at=end, soft_close_minutes=0, extension_minutes=0, bids=_Bids()
    )
    prev = ""
    for seq in range(1, n + 1):
        b = SimpleNamespace(
            pk=seq, lot_id=1, seq=seq, registration_id=seq % 7 + 1, amount=Decimal(100000 + seq),
            kind="manual", nonce=f"bench-{seq:08d}", created_at=end - timedelta(seconds=n - seq),
            ends_after=end, prev_hash=prev, hash_algorithm="SM3",
        )  # fmt: skip
        b.hash = chain.hash_bid(b)
        prev = b.hash
        lot.bids.append(b)
    lot.head_hash, lot.bid_count, lot.current_price, lot.hard_end_at = prev, n, lot.bids[-1].amount, end
    return lot


def _median_ms(func: Any, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


class Command(BaseCommand):
    help = "Time SM3 through OpenSSL and through gmssl, per hash and for verifying a bid chain."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bids", type=int, default=2000, help="bids in the verified chain")
        parser.add_argument("--repeat", type=int, default=5, help="runs per measure (median reported)")
        parser.add_argument("--out", default="", help="write the section into this markdown file")

    def handle(self, *args: Any, **opts: Any) -> None:
        if sm3.BACKEND != "openssl":
            raise CommandError("this Python's OpenSSL has no SM3: nothing to compare")
        lot = _chain(opts["bids"])
        payloads = [chain.bid_payload(**_fields(b)).encode() for b in lot.bids]
        r = opts["repeat"]
        per_hash = {
            "openssl": _median_ms(lambda: [sm3.sm3_bytes_hex(p) for p in payloads], r) / len(payloads),
            "gmssl": _median_ms(lambda: [sm3.gmssl_sm3_hex(p) for p in payloads], r) / len(payloads),
        }
        verify = {"openssl": _median_ms(lambda: _check(lot), r)}
        with mock.patch.object(sm3, "_openssl", None):
            verify["gmssl"] = _median_ms(lambda: _check(lot), r)
        result = {
            "bids": opts["bids"],
            "hash_ms": {k: round(v, 4) for k, v in per_hash.items()},
            "verify_ms": {k: round(v, 1) for k, v in verify.items()},
            "hash_ratio": round(per_hash["gmssl"] / per_hash["openssl"], 1),
            "verify_ratio": round(verify["gmssl"] / verify["openssl"], 1),
        }
        self.stdout.write(str(result))
        if opts["out"]:
            self._write(Path(opts["out"]), result, opts)

    def _write(self, path: Path, r: dict[str, Any], opts: dict[str, Any]) -> None:
        from techbridge.core.benchmarks import machine
        from techbridge.lib.markdown import replace_section

        m = machine()
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
        lines = [
            TITLE,
            "",
            f"Measured {when} on {m['nproc']} cores ({m['cpu']}, {m['ram']}), shared with other work. "
            f"Command: `manage.py bench_sm3 --bids {r['bids']} --repeat {opts['repeat']} --out "
            "docs/benchmarks.md`. Medians of the runs; `verify_lot` on an in-memory chain (the database "
            "read, the same for both, is left out). Both implementations give identical digests "
            "(tests in `auctions/tests/test_sm3.py`).",
            "",
            "| measure | OpenSSL (`hashlib`) | gmssl | ratio |",
            "|---|---:|---:|---:|",
            f"| one SM3 hash of a bid payload | {r['hash_ms']['openssl']} ms | {r['hash_ms']['gmssl']} ms "
            f"| {r['hash_ratio']}× |",
            f"| `verify_lot`, {r['bids']} bids | {r['verify_ms']['openssl']} ms "
            f"| {r['verify_ms']['gmssl']} ms | {r['verify_ratio']}× |",
            "",
        ]
        replace_section(path, "\n".join(lines), TITLE)


def _fields(b: Any) -> dict[str, Any]:
    keys = (
        "lot_id",
        "seq",
        "registration_id",
        "amount",
        "kind",
        "created_at",
        "ends_after",
        "nonce",
        "prev_hash",
    )
    return {k: getattr(b, k) for k in keys}


def _check(lot: Any) -> None:
    problems = chain.verify_lot(lot)
    if problems:
        raise CommandError(f"benchmark chain does not verify: {problems[:3]}")
