"""PDF documents from Django templates, with Chinese typeset in an embedded CJK font.

``render_pdf("contracts/pdf/contract.html", {...})`` returns the bytes of a PDF. Templates extend
``pdf/base.html``, which sets A4 pages, page numbers and the Noto CJK fonts (Debian's
``fonts-noto-cjk``); WeasyPrint embeds the glyphs used, so the file reads the same on any machine.
Views serve the bytes with ``core.downloads.pdf_response``; nothing here speaks HTTP.
"""

from __future__ import annotations

import ctypes
import os
import re
import select
import signal
import time
import zlib
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from .faults import fault_point

if TYPE_CHECKING:
    from django.http import HttpRequest

PDF_CONTENT_TYPE = "application/pdf"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing on this machine."""


class PdfRefused(ValueError):
    """The document is too large, or took too long, to typeset: refused instead of running away with the
    server (issue 20 point 3: a 100,000-line schedule typeset for 11 minutes at 6.6 GB). The message is
    translated and tells the reader what to do."""


# Defaults; settings ``PDF_MAX_HTML_BYTES``, ``PDF_MAX_BYTES`` and ``PDF_TIMEOUT_SECONDS`` override them.
MAX_HTML_BYTES = 2_000_000
MAX_PDF_BYTES = 20_000_000
TIMEOUT_SECONDS = 60.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _limits() -> tuple[int, int, float]:
    from django.conf import settings

    return (
        int(getattr(settings, "PDF_MAX_HTML_BYTES", MAX_HTML_BYTES)),
        int(getattr(settings, "PDF_MAX_BYTES", MAX_PDF_BYTES)),
        float(getattr(settings, "PDF_TIMEOUT_SECONDS", TIMEOUT_SECONDS)),
    )


def _typeset(html: str, base_url: str | None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/cairo libraries not found
        raise PdfUnavailable(str(exc)) from exc
    return HTML(string=html, base_url=base_url).write_pdf()


def _too_large() -> PdfRefused:
    from django.utils.translation import gettext as _

    return PdfRefused(
        _("The document is too large to typeset as PDF; shorten it (e.g. its schedule) and try again.")
    )


def _die_with(parent: int) -> None:
    """In the typesetting child: be killed when the worker that forked it dies (a SIGKILL, an OOM kill
    leaves it no chance to stop its child), so no orphan typesets on for minutes (Linux prctl)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the deadline still bounds a live parent's child
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _in_child(html: str, base_url: str | None, timeout: float) -> bytes:
    """Typeset in a forked child the parent kills at the deadline (a thread cannot be stopped, and a
    daemonic Celery worker may not start ``multiprocessing`` children, but it may fork)."""
    from django.utils.translation import gettext as _

    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: typeset, send the result, leave without running any clean-up of the parent
        os.close(read_end)
        _die_with(parent)
        fault_point("pdf.typesetting")
        try:
            out = b"K" + _typeset(html, base_url)
        except PdfUnavailable as exc:
            out = b"U" + str(exc).encode()
        except BaseException as exc:  # reported to the parent, which raises it
            out = b"E" + repr(exc).encode()
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(out)
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                ready = select.select([pipe], [], [], max(left, 0))[0] if left > 0 else []
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    raise PdfRefused(
                        _(
                            "Typesetting the PDF took longer than %(seconds)s seconds and was stopped; "
                            "the document is too long."
                        )
                        % {"seconds": f"{timeout:g}"}
                    )
                chunk = pipe.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.waitpid(pid, 0)
    out = b"".join(chunks)
    kind, payload = out[:1], out[1:]
    if kind == b"K":
        return payload
    if kind == b"U":
        raise PdfUnavailable(payload.decode())
    raise RuntimeError(f"PDF typesetting failed: {payload.decode(errors='replace')}")


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Typeset an HTML string into PDF bytes, within the size and time limits (``PdfRefused``)."""
    max_html, max_pdf, timeout = _limits()
    if len(html.encode()) > max_html:
        raise _too_large()
    content = _in_child(html, base_url, timeout) if hasattr(os, "fork") else _typeset(html, base_url)
    if len(content) > max_pdf:
        raise _too_large()
    return content


def render_pdf(
    template_name: str, context: dict[str, Any] | None = None, *, request: HttpRequest | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` and typeset it as PDF."""
    html = render_to_string(template_name, context or {}, request=request)
    return html_to_pdf(html)


def pdf_text(content: bytes) -> str:
    """The text of a PDF (every page), for tests and checks: ``"技术合同" in pdf_text(data)``."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    """Base names of the fonts embedded in a PDF (e.g. ``"ABCDEF+Noto-Sans-CJK-SC"``)."""
    from io import BytesIO

    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(BytesIO(content)).pages:
        resources = page.get("/Resources")
        if not resources:
            continue
        fonts = resources.get_object().get("/Font")
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object().get("/BaseFont", "")))
    return names


# ---- active content in uploaded PDFs ---------------------------------------------------------------

# Names of PDF dictionaries that run something when the file is opened or touched: scripts, automatic
# actions, launched programs, embedded files and Flash/media.
ACTIVE_NAMES = frozenset(
    {"JS", "JavaScript", "OpenAction", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "AA"}
)
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"<<((?:(?!>>\s*stream).){0,2000}?)>>\s*stream\r?\n", re.S)
_INFLATED_LIMIT = 64 * 1024 * 1024


def _names(data: bytes) -> set[str]:
    found = set()
    for match in _NAME.finditer(data):
        # A name may spell letters as #xx (/J#61vaScript is /JavaScript).
        name = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        found.add(name.decode("latin-1"))
    return found


def active_content(data: bytes) -> list[str]:
    """The active-content names (``/JavaScript``, ``/OpenAction``, …) a PDF contains, sorted; ``[]`` if none.

    Reads the raw bytes and the inflated object streams (``/ObjStm``, where a compressed PDF keeps its
    dictionaries), up to 64 MB inflated in all.
    """
    names = _names(data) & ACTIVE_NAMES
    budget = _INFLATED_LIMIT
    for match in _STREAM.finditer(data):
        header = match.group(1)
        if b"/ObjStm" not in header or b"/FlateDecode" not in header or budget <= 0:
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        names |= _names(inflated) & ACTIVE_NAMES
    return sorted(names)
