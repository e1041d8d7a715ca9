"""SM3 (GB/T 32905-2016) hashing: OpenSSL's implementation through ``hashlib`` when the linked OpenSSL
provides it (about 300 times faster), the pure-Python ``gmssl`` implementation otherwise. Both give the
same digest, so a chain hashed with one verifies with the other."""

from __future__ import annotations

import hashlib
from collections.abc import Callable


def _openssl_sm3() -> Callable[[bytes], str] | None:
    try:
        hashlib.new("sm3", b"abc")
    except ValueError:  # this OpenSSL build has no SM3
        return None

    def digest(data: bytes) -> str:
        return hashlib.new("sm3", data).hexdigest()

    return digest


def gmssl_sm3_hex(data: bytes) -> str:
    """SM3 through gmssl (the pure-Python fallback)."""
    from gmssl import func, sm3

    return str(sm3.sm3_hash(func.bytes_to_list(data)))


_openssl = _openssl_sm3()

#: "openssl" or "gmssl": which implementation ``sm3_hex`` uses on this machine.
BACKEND = "openssl" if _openssl is not None else "gmssl"


def sm3_bytes_hex(data: bytes) -> str:
    """SM3 of ``data`` as 64 lower-case hex characters."""
    if _openssl is not None:
        return _openssl(data)
    return gmssl_sm3_hex(data)


def sm3_hex(text: str) -> str:
    """SM3 of the UTF-8 encoding of ``text`` as 64 lower-case hex characters."""
    return sm3_bytes_hex(text.encode("utf-8"))
