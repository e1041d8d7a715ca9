"""PDF documents from Django templates, with Chinese typeset in an embedded CJK font.

``render_pdf("contracts/pdf/contract.html", {...})`` returns the bytes of a PDF. Templates extend
``pdf/base.html``, which sets A4 pages, page numbers and the Noto CJK fonts (Debian's
``fonts-noto-cjk``); WeasyPrint embeds the glyphs used, so the file reads the same on any machine.
Views serve the bytes with ``core.downloads.pdf_response``; nothing here speaks HTTP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from django.http import HttpRequest

PDF_CONTENT_TYPE = "application/pdf"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing on this machine."""


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Typeset an HTML string into PDF bytes."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/cairo libraries not found
        raise PdfUnavailable(str(exc)) from exc
    return HTML(string=html, base_url=base_url).write_pdf()


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
