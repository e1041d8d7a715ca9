"""Fee statements (结算单) and innovation-voucher redemption.

A statement is issued once, in the transaction that completes the booking or accepts the order. When
the booking or order names a voucher, the voucher pays its programme's share of the amount — at most
its balance — in the same transaction: the voucher's ``spent`` moves by compare-and-set on its old
value (a concurrent redemption makes the write miss, and the balance is read again), a check
constraint keeps ``spent <= quota``, and the one-to-one redemption–statement link means no statement
is paid twice. The PDF is rendered after the commit (``tasks.render_invoice``), once, and stored.
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.tasks import enqueue

from .. import fees
from ..choices import VoucherStatus
from ..models import Booking, Invoice, ServiceOrder, Voucher, VoucherRedemption
from .common import tell

log = logging.getLogger(__name__)

REDEEM_ATTEMPTS = 5


def issue_invoice(
    *,
    actor: Any,
    amount: Decimal,
    detail: dict[str, Any],
    booking: Booking | None = None,
    order: ServiceOrder | None = None,
    is_demo: bool = False,
) -> Invoice | None:
    """Issue the statement of a completed booking or accepted order (None when nothing is charged).

    Must run inside the caller's transaction (the one that completes the subject).
    """
    if amount <= 0:
        return None
    subject: Any = booking or order
    if booking is not None:
        provider = booking.instrument.owner
        use = "instruments"
    else:
        assert order is not None
        provider = order.platform.host
        use = "services"
    now = timezone.now()
    invoice = Invoice.objects.create(
        booking=booking,
        order=order,
        provider=provider,
        payer=subject.organization,
        amount=amount,
        voucher_amount=Decimal("0"),
        payable=amount,
        snapshot={},
        issued_at=now,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    voucher_part = Decimal("0")
    redemption = None
    note = ""
    voucher: Voucher | None = subject.voucher
    if voucher is not None:
        redemption, note = _redeem(voucher, invoice, amount, provider=provider, use=use, actor=actor)
        if redemption is not None:
            voucher_part = redemption.amount
    number = f"JS{now:%Y%m}{invoice.pk:06d}"
    snapshot = _snapshot(subject, invoice, number, amount, voucher_part, detail, redemption, note)
    # The figures are written once, here, before the statement is final; save() refuses later changes.
    Invoice.objects.filter(pk=invoice.pk).update(
        number=number,
        voucher_amount=voucher_part,
        payable=amount - voucher_part,
        snapshot=snapshot,
    )
    invoice.refresh_from_db()
    audit.record(
        invoice,
        "instruments.invoice.issued",
        actor=actor,
        data={"number": number, "amount": str(amount), "voucher": str(voucher_part)},
    )
    from ..tasks import render_invoice

    enqueue(render_invoice, invoice.pk)
    return invoice


def _redeem(
    voucher: Voucher, invoice: Invoice, amount: Decimal, *, provider: Any, use: str, actor: Any
) -> tuple[VoucherRedemption | None, str]:
    """Take the voucher's share of ``amount`` from its balance; (None, why) when it pays nothing."""
    for _attempt in range(REDEEM_ATTEMPTS):
        v = Voucher.objects.select_related("programme").get(pk=voucher.pk)
        if v.status != VoucherStatus.APPROVED:
            return None, _("The voucher %(number)s was not approved or has expired; it paid nothing.") % {
                "number": v.number or v.pk
            }
        if not v.programme.covers(use) or v.programme.valid_until < timezone.localdate():
            return None, _("The voucher %(number)s is not valid for this bill; it paid nothing.") % {
                "number": v.number or v.pk
            }
        part = fees.voucher_share(amount, v.programme.share, v.balance)
        if part <= 0:
            return None, _("The voucher %(number)s has no balance left; it paid nothing.") % {
                "number": v.number or v.pk
            }
        new_spent = v.spent + part
        # Compare-and-set on the balance read above: a concurrent redemption makes this miss.
        rows = Voucher.objects.filter(pk=v.pk, status=VoucherStatus.APPROVED, spent=v.spent).update(
            spent=new_spent, updated_at=timezone.now()
        )
        if rows == 1:
            redemption = VoucherRedemption.objects.create(
                voucher=v, invoice=invoice, provider=provider, amount=part, is_demo=invoice.is_demo
            )
            audit.record(
                redemption,
                "instruments.voucher.redeemed",
                actor=actor,
                to_state=redemption.status,
                data={
                    "voucher": v.pk,
                    "invoice": invoice.pk,
                    "amount": str(part),
                    "balance": str(v.quota - new_spent),
                },
            )
            return redemption, ""
    log.warning("voucher %s: redemption lost %s races in a row", voucher.pk, REDEEM_ATTEMPTS)
    return None, _("The voucher was busy; it paid nothing. Ask the platform to apply it.")


def _snapshot(
    subject: Any,
    invoice: Invoice,
    number: str,
    amount: Decimal,
    voucher_part: Decimal,
    detail: dict[str, Any],
    redemption: VoucherRedemption | None,
    note: str,
) -> dict[str, Any]:
    """Everything the statement shows, frozen at issue."""
    from techbridge.organizations.models import Organization

    provider: Organization = invoice.provider
    payer: Organization = invoice.payer
    data: dict[str, Any] = {
        "number": number,
        "issued_at": timezone.localtime(invoice.issued_at).strftime("%Y-%m-%d %H:%M"),
        "provider": {"name": provider.name, "credit_code": provider.credit_code or ""},
        "payer": {"name": payer.name, "credit_code": payer.credit_code or ""},
        "amount": str(amount),
        "voucher_amount": str(voucher_part),
        "payable": str(amount - voucher_part),
        "detail": detail,
        "voucher_note": note,
    }
    if redemption is not None:
        v = redemption.voucher
        data["voucher"] = {
            "number": v.number or str(v.pk),
            "programme": str(v.programme),
            "share": str(v.programme.share),
        }
    if isinstance(subject, Booking):
        b = subject
        data["subject"] = {
            "kind": "booking",
            "id": b.pk,
            "instrument": b.instrument.name,
            "model": b.instrument.model_number,
            "audience": b.audience,
            "from": timezone.localtime(b.starts_at).strftime("%Y-%m-%d %H:%M"),
            "until": timezone.localtime(b.ends_at).strftime("%Y-%m-%d %H:%M"),
        }
    else:
        o = subject
        data["subject"] = {
            "kind": "order",
            "id": o.pk,
            "platform": o.platform.name,
            "service": o.offer.title,
            "quote_note": o.quote_note,
        }
    return data


def render_invoice_pdf(invoice_pk: int) -> Invoice | None:
    """Render and store the statement's PDF once (idempotent: a stored PDF is never rendered again)."""
    from ..documents import render_invoice

    invoice = Invoice.objects.filter(pk=invoice_pk).first()
    if invoice is None or invoice.pdf:
        return invoice
    pdf = render_invoice(invoice)
    with transaction.atomic():
        rows = Invoice.objects.filter(pk=invoice.pk, pdf="").update(
            pdf_sha256=hashlib.sha256(pdf).hexdigest()
        )
        if rows != 1:
            return invoice  # another worker stored it first
        invoice.refresh_from_db()
        invoice.pdf.save(f"{invoice.number}.pdf", ContentFile(pdf), save=False)
        invoice.save(update_fields=["pdf"])
    recipients = []
    subject: Any = invoice.booking or invoice.order
    if subject is not None:
        recipients.append(subject.requester)
    tell(
        recipients,
        kind="instrument_invoice_issued",
        title=_("Fee statement %(number)s issued") % {"number": invoice.number},
        url_name="instruments:invoice",
        pk=invoice.pk,
        key=f"instruments:invoice:{invoice.pk}",
    )
    return invoice
