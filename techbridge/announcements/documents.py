"""The transaction certificate's PDF as a generated document (``core.documents``): typeset once in a
background task, stored with its SHA-256, which is kept on the certificate (``on_ready``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from techbridge.core import registry
from techbridge.lib.pdf import render_pdf

from .models import Certificate


def verify_url(cert: Certificate) -> str:
    base = str(getattr(settings, "CERTIFICATE_SITE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('certificates:verify-code', args=[cert.code])}"


def render_certificate(cert: Certificate) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(
            "announcements/pdf/certificate.html", {"cert": cert, "verify_url": verify_url(cert)}
        )


def source(cert: Certificate) -> str:
    """The sealed fields: the PDF is made once and never changes (a revocation is shown online)."""
    return "\n".join(
        str(v)
        for v in (
            cert.code,
            cert.subject,
            cert.seller_name,
            cert.buyer_name,
            cert.price,
            cert.origin,
            cert.deal_mode_name,
            cert.concluded_at.isoformat(),
            cert.period_ends_at.isoformat(),
            cert.issued_at.isoformat(),
        )
    )


def register() -> None:
    from .services import keep_pdf_hash

    registry.documents.register(
        registry.DocumentKind(
            key="announcements.certificate",
            model="announcements.Certificate",
            render=render_certificate,
            source=source,
            filename=lambda c: f"交易鉴证书-{c.number}.pdf",
            on_ready=keep_pdf_hash,
        )
    )
