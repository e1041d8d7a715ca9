#!/usr/bin/env python3
"""Smoke test of a running TechBridge through its HTTP interface only (no Django import, stdlib only).

Checks, as a visitor and as an API client would see them: the home page, a search, the API root and a
list with a token, a bid on a live lot (accepted, then the same body again answered with the original
outcome), and the live page's poll. The lot, its bidders and their tokens come from a fixture file
written by ``manage.py bench_auction --prepare FILE`` (the same command removes them with
``--cleanup FILE``). Exit status 0 when every check passes; each check prints one line.

    .venv/bin/python manage.py bench_auction --bidders 2 --prepare var/smoke.json
    .venv/bin/python scripts/smoke.py --url http://127.0.0.1:8000 --fixture var/smoke.json
    .venv/bin/python manage.py bench_auction --cleanup var/smoke.json

``--forwarded-proto https`` sends X-Forwarded-Proto as a TLS proxy in front of the app servers does
(production settings redirect plain HTTP otherwise).
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
import urllib.parse
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any


class Client:
    def __init__(self, url: str, forwarded_proto: str = "") -> None:
        parts = urllib.parse.urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.extra = {"X-Forwarded-Proto": forwarded_proto} if forwarded_proto else {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(
        self, method: str, path: str, *, token: str = "", body: Any = None, lang: str = "zh-hans"
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Accept-Language": lang, **self.extra}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: reconnect once
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
            except (ConnectionError, http.client.RemoteDisconnected):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--fixture", required=True, help="written by manage.py bench_auction --prepare")
    parser.add_argument("--forwarded-proto", default="")
    args = parser.parse_args()
    fixture = json.loads(Path(args.fixture).read_text())
    numbers = sorted(fixture["tokens"], key=int)
    token, rival = fixture["tokens"][numbers[0]], fixture["tokens"][numbers[-1]]
    lot = fixture["lot"]
    client = Client(args.url, args.forwarded_proto)
    failures: list[str] = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}", flush=True)
        if not ok:
            failures.append(name)

    def text(body: bytes) -> str:
        return body.decode("utf-8", errors="replace")

    status, _, body = client.request("GET", "/")
    check("home page answers 200 in Chinese", status == 200 and 'lang="zh-hans"' in text(body), f"{status}")

    status, _, body = client.request("GET", "/achievements/?q=" + urllib.parse.quote("专利"))
    check("achievement search answers 200", status == 200 and "<html" in text(body), f"{status}")

    status, _, body = client.request("GET", "/api/v1/", token=token)
    root = json.loads(body or b"{}") if status == 200 else {}
    check(
        "API root lists the endpoints",
        status == 200 and "achievements" in root.get("sections", {}),
        f"{status} {body[:200]!r}",
    )

    status, _, body = client.request("GET", "/api/v1/achievements/", token=token)
    page = json.loads(body or b"{}") if status == 200 else {}
    check("achievements list with a token", status == 200 and "results" in page, f"{status} {body[:200]!r}")

    status, _, body = client.request("GET", "/api/v1/achievements/", token="0" * 40)
    check("a wrong token is refused with 401", status == 401, f"{status}")

    path = f"/api/v1/auctions/lots/{lot}/bids/"
    bid = {"amount": f"{Decimal(fixture.get('starting_price', '10000')):.2f}", "nonce": uuid.uuid4().hex}
    status, _, body = client.request("POST", path, token=token, body=bid, lang="en")
    first = json.loads(body or b"{}")
    seq = (first.get("bid") or {}).get("seq")
    check(
        "a bid on the live lot is accepted (201)",
        status == 201 and seq is not None,
        f"{status} {body[:300]!r}",
    )

    status, _, body = client.request("POST", path, token=token, body=bid, lang="en")
    again = json.loads(body or b"{}")
    check(
        "the same bid again returns the original outcome",
        status in (200, 201) and (again.get("bid") or {}).get("seq") == seq,
        f"{status} {body[:300]!r}",
    )

    low = {"amount": "1.00", "nonce": uuid.uuid4().hex}
    status, _, body = client.request("POST", path, token=rival, body=low)
    refusal = json.loads(body or b"{}")
    check(
        "another bidder's bid below the minimum is refused with a Chinese message",
        400 <= status < 500
        and refusal.get("accepted") is False
        and any("\u4e00" <= ch <= "\u9fff" for ch in str(refusal.get("message") or refusal.get("detail"))),
        f"{status} {body[:300]!r}",
    )

    status, _, body = client.request("GET", f"/auctions/lots/{lot}/status/")
    check("the live page's poll answers", status in (200, 204), f"{status}")

    status, _, body = client.request("GET", f"/auctions/lots/{lot}/")
    check("the lot page shows the new price", status == 200 and "10,000" in text(body), f"{status}")

    print(
        f"smoke: {'OK' if not failures else 'FAILED: ' + ', '.join(failures)} ({time.strftime('%H:%M:%S')})"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
