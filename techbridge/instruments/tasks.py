"""Background work of instruments (takes primary keys; idempotent; inline on the embedded default)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.instruments.tasks.render_invoice")
def render_invoice(invoice_pk: int) -> bool:
    """Render and store a fee statement's PDF (once)."""
    from .services.billing import render_invoice_pdf

    invoice = render_invoice_pdf(invoice_pk)
    return bool(invoice and invoice.pdf)


@shared_task(name="techbridge.instruments.tasks.encode_instruments")
def encode_instruments(pks: list[int]) -> int:
    """Encode the search text of instruments ahead of the first search (vectors are cached by content)."""
    from .corpora import warm_instruments

    return warm_instruments(pks)


@shared_task(name="techbridge.instruments.tasks.encode_offers")
def encode_offers(pks: list[int]) -> int:
    from .corpora import warm_offers

    return warm_offers(pks)
