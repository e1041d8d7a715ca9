"""The fee statement as PDF (Chinese), rendered once from the statement's frozen snapshot."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from techbridge.lib.pdf import render_pdf


def render_invoice(invoice: Any) -> bytes:
    """Typeset the statement: provider, payer, what was used, the fee lines, the voucher's part, the total."""
    with translation.override("zh-hans"):
        return render_pdf("instruments/pdf/invoice.html", {"s": invoice.snapshot, "invoice": invoice})
