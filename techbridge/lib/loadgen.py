"""A lean load generator's HTTP/1.1 client: many kept-alive connections driven by one asyncio loop.

The benchmarks (``bench_auction``, ``bench_live``) share two cores with the servers they measure, and
count the load generator's own CPU in every figure. ``http.client`` with one thread per simulated user
spends most of that CPU outside the request itself: parsing headers through ``email.parser`` (~50 µs a
response) and handing the GIL between hundreds of threads waiting on their sockets. Here every simulated
user is a coroutine on one event loop, a request is written as bytes and the answer read back by
``Content-Length`` (or chunks), so one request costs the generator ~10–20 µs and every connection is
still a real, kept-alive TCP connection speaking HTTP/1.1 to the server.

    async with Connection(host, port) as conn:
        answer = await conn.request("POST", "/api/…", b"{}", {"Content-Type": "application/json"})
        answer.status, answer.headers["content-type"], answer.json()

A connection that the server closes (``Connection: close``), that breaks or that times out raises
``ConnectionError``/``TimeoutError`` from ``request``, and the next ``request`` opens a new one.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

#: Statuses that never carry a body (RFC 9110 §6.4.1).
_NO_BODY = frozenset({204, 304})


@dataclass
class Answer:
    """One HTTP response: status, headers (names in lower case) and the body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else {}


class _Reader(asyncio.Protocol):
    """Collects one response at a time from the connection's bytes."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Answer] | None = None
        self.head_request = False
        self.lost: BaseException | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is not None and not self.waiter.done():
            try:
                answer = self._parse()
            except ValueError as exc:
                self.waiter.set_exception(ConnectionError(f"malformed response: {exc}"))
                return
            if answer is not None:
                self.waiter.set_result(answer)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost = exc or ConnectionError("the server closed the connection")
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(str(self.lost)))

    def _parse(self) -> Answer | None:
        """The complete response at the start of the buffer (removed from it), or None: not all here yet."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError(lines[0][:80])
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _sep, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        if self.head_request or status in _NO_BODY or 100 <= status < 200:
            del self.buffer[:start]
            return Answer(status, headers)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._chunked(status, headers, start)
        if "content-length" not in headers:
            raise ValueError("a response without Content-Length or chunks on a kept-alive connection")
        stop = start + int(headers["content-length"])
        if len(self.buffer) < stop:
            return None
        body = bytes(self.buffer[start:stop])
        del self.buffer[:stop]
        return Answer(status, headers, body)

    def _chunked(self, status: int, headers: dict[str, str], start: int) -> Answer | None:
        body = bytearray()
        at = start
        while True:
            line_end = self.buffer.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(self.buffer[at:line_end]).split(b";", 1)[0], 16)
            at = line_end + 2
            if size == 0:
                trailer_end = self.buffer.find(b"\r\n", at)
                if trailer_end < 0:
                    return None
                del self.buffer[: trailer_end + 2]
                return Answer(status, headers, bytes(body))
            if len(self.buffer) < at + size + 2:
                return None
            body += self.buffer[at : at + size]
            at += size + 2


class Connection:
    """One kept-alive HTTP/1.1 connection to ``host:port``: ``request`` sends one request and waits for its
    answer (one request at a time: no pipelining); reconnects on the next request after a failure."""

    def __init__(self, host: str, port: int, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._reader: _Reader | None = None
        self._host_header = f"Host: {host}:{port}\r\n".encode()

    async def __aenter__(self) -> Connection:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    async def _open(self) -> _Reader:
        loop = asyncio.get_running_loop()
        _transport, reader = await asyncio.wait_for(
            loop.create_connection(_Reader, self.host, self.port), self.timeout
        )
        self._reader = reader
        return reader

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        reader = self._reader
        if reader is None or reader.lost is not None:
            reader = await self._open()
        head = [f"{method} {path} HTTP/1.1\r\n".encode(), self._host_header]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}\r\n".encode())
        if body or method in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(body)}\r\n".encode())
        head.append(b"\r\n")
        loop = asyncio.get_running_loop()
        reader.waiter = waiter = loop.create_future()
        reader.head_request = method == "HEAD"
        assert reader.transport is not None
        reader.transport.write(b"".join(head) + body)
        timer = loop.call_later(self.timeout, _expire, waiter)
        try:
            answer = await waiter
        except BaseException:
            self.close()
            raise
        finally:
            timer.cancel()
        if answer.headers.get("connection", "").lower() == "close":
            self.close()
        return answer

    def close(self) -> None:
        if self._reader is not None and self._reader.transport is not None:
            self._reader.transport.close()
        self._reader = None


def _expire(waiter: asyncio.Future[Answer]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError("no answer in time"))


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a new event loop in a thread of its own, and return its result (or
    raise its exception). The caller's thread keeps whatever event loop it has (a test session's browser
    driver runs one in the main thread; ``asyncio.run`` there would refuse, and would unset it after)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(main)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="loadgen")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
