"""The benchmarks' HTTP/1.1 client (``techbridge.lib.loadgen``) against a small server that answers as
real servers do: Content-Length, chunks, no body (204/304), ``Connection: close`` and silence."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from techbridge.lib import loadgen

ANSWERS = {
    b"/length": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
    + b'{"ok":true}',
    b"/chunks": b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
    + b'4\r\n{"a"\r\n5\r\n: 1}\n\r\n0\r\n\r\n',
    b"/none": b"HTTP/1.1 204 No Content\r\nX-Version: 7\r\n\r\n",
    b"/close": b"HTTP/1.1 409 Conflict\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
}


async def serve(seen: list[bytes]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b""
            if not head:
                break
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length) if length else b""
            path = head.split(b" ", 2)[1]
            seen.append(head.split(b"\r\n", 1)[0] + b" " + body)
            if path == b"/silence":
                await asyncio.sleep(5)
                break
            answer = ANSWERS[path]
            # the answer arrives in two pieces, as a busy server's may
            writer.write(answer[:7])
            await writer.drain()
            await asyncio.sleep(0.01)
            writer.write(answer[7:])
            await writer.drain()
            if path == b"/close":
                break
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def test_one_kept_alive_connection_reads_every_kind_of_answer():
    async def scenario() -> list:
        seen: list[bytes] = []
        server = await serve(seen)
        port = server.sockets[0].getsockname()[1]
        results: list[Any] = []
        async with loadgen.Connection("127.0.0.1", port, timeout=2) as conn:
            for path in ("/length", "/chunks", "/none", "/length"):
                answer = await conn.request(
                    "POST", path, b'{"amount": "1"}', {"Content-Type": "application/json"}
                )
                results.append((answer.status, answer.json(), answer.headers.get("x-version")))
            first = conn._reader
            answer = await conn.request("GET", "/close")
            results.append((answer.status, answer.json(), conn._reader is None))
            answer = await conn.request("GET", "/length")  # a new connection, opened by itself
            results.append((answer.status, answer.json(), conn._reader is not first))
        server.close()
        await server.wait_closed()
        results.append(seen[0])
        return results

    results = loadgen.run(scenario())
    assert results[:4] == [
        (200, {"ok": True}, None),
        (201, {"a": 1}, None),
        (204, {}, "7"),
        (200, {"ok": True}, None),
    ]
    assert results[4] == (409, {}, True) and results[5] == (200, {"ok": True}, True)
    assert results[6] == b'POST /length HTTP/1.1 {"amount": "1"}'


def test_silence_and_a_closed_server_raise_instead_of_hanging():
    async def scenario() -> tuple:
        server = await serve([])
        port = server.sockets[0].getsockname()[1]
        conn = loadgen.Connection("127.0.0.1", port, timeout=0.3)
        with pytest.raises(TimeoutError):
            await conn.request("GET", "/silence")
        server.close()
        await server.wait_closed()
        with pytest.raises(OSError):  # nobody listens any more: refused
            await conn.request("GET", "/length")
        return ()

    loadgen.run(scenario())
