"""CPU per bid request, in process: the platform's WSGI app called in a loop with a real API token.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python scripts/profile_bid.py --n 300 --profile refusal

It prepares a live English lot with bidders (``bench_auction --prepare``), then times three kinds of
POST /api/v1/auctions/lots/<id>/bids/ through the app servers' WSGI application (the bid lane in front of
Django, as ``techbridge.wsgi``; NO_LANE=1 for Django alone) with ``time.process_time``: refusals (too
low), replays (an earlier nonce with its original body) and accepted bids (each bidder outbids the
last). ``--profile KIND`` prints the top of a cProfile of that kind. The lot and its bidders are
deleted at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LOG_LEVEL", "ERROR")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="requests of each kind")
    parser.add_argument("--profile", choices=["refusal", "replay", "accepted"], default="")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from techbridge.auctions.fastbid import BidLane

    app = BidLane(get_wsgi_application()) if not os.environ.get("NO_LANE") else get_wsgi_application()
    prepared = Path(tempfile.mkstemp(suffix=".json")[1])
    bidders = max(20, min(args.n, 200))
    call_command("bench_auction", bidders=bidders, prepare=str(prepared), stdout=io.StringIO())
    fixture = json.loads(prepared.read_text())
    tokens = {int(k): v for k, v in fixture["tokens"].items()}
    path = f"/api/v1/auctions/lots/{fixture['lot']}/bids/"
    sent: list[tuple[int, bytes]] = []

    def post(number: int, body: bytes) -> tuple[str, dict[str, Any]]:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_AUTHORIZATION": f"Token {tokens[number]}",
            "HTTP_ACCEPT": "application/json",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        status: list[str] = []
        chunks = app(environ, lambda s, h, exc_info=None: status.append(s))
        data = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return status[0], json.loads(data)

    state = {"minimum": "10000.00", "seq": 0}
    numbers = sorted(tokens)

    def body(amount: str) -> bytes:
        state["seq"] += 1
        return json.dumps({"amount": amount, "nonce": f"prof-{os.getpid()}-{state['seq']:06d}"}).encode()

    def accepted(i: int) -> None:
        number = numbers[i % len(numbers)]
        raw = body(state["minimum"])
        status, data = post(number, raw)
        assert status.startswith("201"), (status, data)
        state["minimum"] = data["lot"]["minimum_bid"]
        sent.append((number, raw))

    def refusal(i: int) -> None:
        status, data = post(numbers[(i + 1) % len(numbers)], body("10000.00"))
        assert status.startswith(("409", "201")) and data["code"] in ("too_low", "leading"), (status, data)

    def replay(i: int) -> None:
        number, raw = sent[i % len(sent)]
        status, data = post(number, raw)
        assert status.startswith("200") and data["replayed"], (status, data)

    kinds = {"accepted": accepted, "refusal": refusal, "replay": replay}
    try:
        for name in ("accepted", "refusal", "replay"):  # warm up (imports, translations, statements)
            for i in range(5):
                kinds[name](i)
        from django.test.utils import CaptureQueriesContext

        for name, func in kinds.items():
            with CaptureQueriesContext(connection) as captured:
                func(999)
            print(f"{name}: {len(captured.captured_queries)} queries")
            if os.environ.get("SHOW_SQL"):
                for q in captured.captured_queries:
                    print("   ", q["sql"][:160])
        results = {}
        for name, func in kinds.items():
            profiler = cProfile.Profile() if args.profile == name else None
            started = time.process_time()
            if profiler:
                profiler.enable()
            for i in range(args.n):
                func(i)
            if profiler:
                profiler.disable()
            results[name] = (time.process_time() - started) * 1000 / args.n
            if profiler:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(
                    os.environ.get("SORT", "cumulative")
                ).print_stats(args.top)
                print(out.getvalue())
        print(
            f"{connection.vendor}: CPU per request (in process, {args.n} each): "
            + ", ".join(f"{k} {v:.2f} ms" for k, v in results.items())
        )
    finally:
        call_command("bench_auction", cleanup=str(prepared), stdout=io.StringIO())


if __name__ == "__main__":
    main()
