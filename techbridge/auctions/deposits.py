"""Deposits paid by bank transfer: statement import and reconciliation, unmatched lines, refund files.

- ``preview_statement`` reads a statement and says what importing it would do (nothing is written).
- ``import_statement`` stores its lines and confirms every deposit a line pays exactly — the line's
  remark holds a valid payment reference and its amount equals the deposit due — through
  ``services.confirm_deposit`` (audited, the bidder is told). Other lines stay unmatched with a reason.
  Lines already stored (same 流水号) are skipped: importing a statement twice pays nothing twice. The
  whole file is checked first; lines are then written in short transactions of ``CHUNK`` lines so a
  large statement never holds the database's write lock for long (as the imports app does).
- ``assign_line`` / ``dismiss_line``: an operator resolves an unmatched line (audited).
- ``set_refund_account``: the bidder says where the deposit goes back.
- ``export_refunds``: refunded deposits not yet exported become one payment file (a batch with its
  SHA-256); each refund is in at most one batch, so it is never paid twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, record_created, set_initial_state, transition
from techbridge.lib.xlsx import Sheet, safe_text, workbook_bytes

from . import bank
from .choices import DepositStatus, LineStatus, UnmatchedReason
from .models import BankStatement, RefundBatch, RefundItem, Registration, StatementLine
from .permissions import check_bidder_owns, check_run_auctions
from .references import find_references
from .services import confirm_deposit

CHUNK = 200
MAX_NOTE = 500
REFUND_HEADERS = ("收款户名", "收款账号", "开户行", "金额", "用途/附言")

# ---- matching ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a line does: confirm ``registration``'s deposit, or stay unmatched for ``reason``."""

    status: str
    reason: str
    reference: str
    registration: Registration | None


def _registrations(lines: Iterable[bank.Line]) -> dict[str, Registration]:
    codes = {c.reference for line in lines for c in find_references(line.remark) if c.valid}
    if not codes:
        return {}
    regs = Registration.objects.filter(payment_code__in=codes).select_related("session", "user")
    return {reg.payment_code: reg for reg in regs}


def classify(line: bank.Line, registrations: dict[str, Registration], paid_now: set[int]) -> Outcome:
    """Match one line against the registrations its remark names (``paid_now``: paid earlier in this run)."""
    unmatched = LineStatus.UNMATCHED
    if line.amount <= 0:
        return Outcome(unmatched, UnmatchedReason.OUTGOING, "", None)
    candidates = find_references(line.remark)
    if not candidates:
        return Outcome(unmatched, UnmatchedReason.NO_REFERENCE, "", None)
    valid = [c for c in candidates if c.valid]
    if not valid:
        return Outcome(unmatched, UnmatchedReason.BAD_CHECK, candidates[0].reference, None)
    known = [c for c in valid if c.reference in registrations]
    if not known:
        return Outcome(unmatched, UnmatchedReason.UNKNOWN_REFERENCE, valid[0].reference, None)
    reg = registrations[known[0].reference]
    reference = known[0].reference
    if reg.deposit_status == DepositStatus.NOT_REQUIRED:
        return Outcome(unmatched, UnmatchedReason.NOT_DUE, reference, None)
    if reg.deposit_status != DepositStatus.REQUIRED or reg.pk in paid_now:
        return Outcome(unmatched, UnmatchedReason.ALREADY_PAID, reference, None)
    if line.amount < reg.deposit_amount:
        return Outcome(unmatched, UnmatchedReason.PARTIAL, reference, None)
    if line.amount > reg.deposit_amount:
        return Outcome(unmatched, UnmatchedReason.EXCESS, reference, None)
    return Outcome(LineStatus.MATCHED, UnmatchedReason.NONE, reference, reg)


@dataclass
class PreviewRow:
    line: bank.Line
    outcome: Outcome
    duplicate: bool

    @property
    def reason_label(self) -> str:
        return str(UnmatchedReason(self.outcome.reason).label) if self.outcome.reason else ""


def preview_statement(*, actor: Any, name: str, content: bytes) -> list[PreviewRow]:
    """What importing the file would do, line by line (``bank.StatementError`` when it cannot be read)."""
    check_run_auctions(actor)
    statement = bank.read_statement(name, content)
    serials = [line.serial for line in statement.lines]
    stored: set[str] = set()
    for start in range(0, len(serials), 900):
        stored.update(
            StatementLine.objects.filter(serial__in=serials[start : start + 900]).values_list(
                "serial", flat=True
            )
        )
    registrations = _registrations(statement.lines)
    paid_now: set[int] = set()
    rows = []
    for line in statement.lines:
        duplicate = line.serial in stored
        outcome = classify(line, registrations, paid_now)
        if outcome.registration is not None and not duplicate:
            paid_now.add(outcome.registration.pk)
        rows.append(PreviewRow(line, outcome, duplicate))
    return rows


# ---- import ------------------------------------------------------------------------------------------


def import_statement(*, actor: Any, name: str, content: bytes, is_demo: bool = False) -> BankStatement:
    """Store the statement's new lines and confirm the deposits they pay exactly (see the module);
    ``is_demo``: the demo's sample statement (load_demo_auctions), tagged 示例数据."""
    check_run_auctions(actor)
    parsed = bank.read_statement(name, content)  # the whole file is checked before anything is written
    with transaction.atomic():
        statement = BankStatement.objects.create(
            file_name=name[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
            line_count=len(parsed.lines),
            is_demo=is_demo,
        )
    paid_now: set[int] = set()
    for start in range(0, len(parsed.lines), CHUNK):
        chunk = parsed.lines[start : start + CHUNK]
        for attempt in range(3):
            try:
                counts = _import_chunk(actor, statement, chunk, paid_now)
                break
            except IntegrityError:  # another import stored some of these serials meanwhile: read again
                if attempt == 2:
                    raise
        for key, value in counts.items():
            setattr(statement, key, getattr(statement, key) + value)
    with transaction.atomic():
        statement.save(update_fields=["new_count", "duplicate_count", "matched_count", "unmatched_count"])
        audit.record(
            statement,
            "auctions.bankstatement.imported",
            actor=actor,
            data={
                "sha256": statement.sha256,
                "file": statement.file_name,
                "new": statement.new_count,
                "matched": statement.matched_count,
                "unmatched": statement.unmatched_count,
                "duplicates": statement.duplicate_count,
            },
        )
    return statement


def _import_chunk(
    actor: Any, statement: BankStatement, chunk: list[bank.Line], paid_now: set[int]
) -> dict[str, int]:
    counts = {"new_count": 0, "duplicate_count": 0, "matched_count": 0, "unmatched_count": 0}
    with transaction.atomic():
        stored = set(
            StatementLine.objects.filter(serial__in=[line.serial for line in chunk]).values_list(
                "serial", flat=True
            )
        )
        fresh = [line for line in chunk if line.serial not in stored]
        counts["duplicate_count"] = len(chunk) - len(fresh)
        registrations = _registrations(fresh)
        paid_here: set[int] = set()
        records: list[StatementLine] = []
        for line in fresh:
            outcome = classify(line, registrations, paid_now | paid_here)
            reason = outcome.reason
            if (reg := outcome.registration) is not None:
                try:
                    with transaction.atomic():
                        confirm_deposit(actor=actor, registration=reg, reference=line.serial)
                except TransitionError:  # paid meanwhile by an operator or another import
                    outcome = Outcome(
                        LineStatus.UNMATCHED, UnmatchedReason.ALREADY_PAID, outcome.reference, None
                    )
                    reason = outcome.reason
                else:
                    paid_here.add(reg.pk)
            record = StatementLine(
                statement=statement,
                row_number=line.row,
                serial=line.serial,
                booked_on=line.booked_on,
                remark=line.remark,
                payer_name=line.payer_name,
                payer_account=line.payer_account,
                amount=line.amount,
                reason=reason,
                reference=outcome.reference,
                registration=outcome.registration,
            )
            set_initial_state(record, outcome.status)
            records.append(record)
            counts["matched_count" if outcome.registration else "unmatched_count"] += 1
        created = StatementLine.objects.bulk_create(records)
        entries: list[Any] = []
        for record in created:
            record_created(record, actor=actor, action="auctions.statementline.imported", defer=entries)
        audit.record_many(entries)
        counts["new_count"] = len(created)
    paid_now.update(paid_here)
    return counts


# ---- unmatched lines ---------------------------------------------------------------------------------


def assign_line(
    *, actor: Any, line: StatementLine, registration: Registration, override_reason: str = ""
) -> None:
    """Pay ``registration``'s deposit with an unmatched line: the amounts must agree, unless the operator
    overrides with a reason (a partial payment topped up outside the statement, a payer's error)."""
    check_run_auctions(actor)
    override_reason = override_reason.strip()
    if len(override_reason) > MAX_NOTE:
        raise ValidationError(_("The reason is longer than %(max)s characters.") % {"max": MAX_NOTE})
    if line.status != LineStatus.UNMATCHED:
        raise TransitionError(_("This line has already been resolved."))
    if line.amount <= 0:
        raise ValidationError(_("An outgoing payment cannot pay a deposit; dismiss the line instead."))
    if registration.deposit_status != DepositStatus.REQUIRED:
        raise TransitionError(
            _("%(bidder)s of %(session)s has no deposit waiting to be paid (%(status)s).")
            % {
                "bidder": registration.label,
                "session": registration.session.title,
                "status": registration.get_deposit_status_display(),
            }
        )
    if line.amount != registration.deposit_amount and not override_reason:
        raise ValidationError(
            _(
                "The line is %(amount)s yuan but the deposit due is %(due)s yuan. Give a reason to "
                "assign it anyway."
            )
            % {"amount": f"{line.amount:,.2f}", "due": f"{registration.deposit_amount:,.2f}"}
        )
    with transaction.atomic():
        confirm_deposit(actor=actor, registration=registration, reference=line.serial)
        transition(
            line,
            LineStatus.ASSIGNED,
            actor=actor,
            action="auctions.statementline.assigned",
            message=override_reason,
            data={"registration": registration.pk, "payment_code": registration.payment_code},
            changes={
                "registration": registration,
                "resolved_by": actor,
                "resolved_at": timezone.now(),
                "resolution_note": override_reason,
            },
        )


def dismiss_line(*, actor: Any, line: StatementLine, reason: str) -> None:
    """Set an unmatched line aside (not a deposit, returned to the payer …); a reason is required."""
    check_run_auctions(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for dismissing the line."))
    if len(reason) > MAX_NOTE:
        raise ValidationError(_("The reason is longer than %(max)s characters.") % {"max": MAX_NOTE})
    if line.status != LineStatus.UNMATCHED:
        raise TransitionError(_("This line has already been resolved."))
    transition(
        line,
        LineStatus.DISMISSED,
        actor=actor,
        action="auctions.statementline.dismissed",
        message=reason,
        changes={"resolved_by": actor, "resolved_at": timezone.now(), "resolution_note": reason},
    )


def registration_for_reference(text: str) -> Registration | None:
    """The registration a typed payment reference names (check character verified), or ``None``."""
    for candidate in find_references(text):
        if candidate.valid:
            return (
                Registration.objects.select_related("session")
                .filter(payment_code=candidate.reference)
                .first()
            )
    return None


# ---- refunds -----------------------------------------------------------------------------------------


def clean_refund_account(name: str, number: str, bank_name: str) -> tuple[str, str, str]:
    """The account as stored (number without spaces or hyphens); ``ValidationError`` per field in Chinese."""
    name, bank_name = name.strip(), bank_name.strip()
    number = "".join(number.split()).replace("-", "")
    errors: dict[str, str] = {}
    if not name:
        errors["refund_account_name"] = _("Give the account holder's name.")
    elif len(name) > 100:
        errors["refund_account_name"] = _("The account name is longer than 100 characters.")
    if not (number.isascii() and number.isdigit() and 8 <= len(number) <= 30):
        errors["refund_account_number"] = _("The account number must be 8 to 30 digits.")
    if not bank_name:
        errors["refund_bank"] = _("Give the bank and branch of the account (开户行).")
    elif len(bank_name) > 100:
        errors["refund_bank"] = _("The bank name is longer than 100 characters.")
    if errors:
        raise ValidationError(errors)
    return name, number, bank_name


def set_refund_account(
    *, actor: Any, registration: Registration, name: str, number: str, bank_name: str
) -> None:
    """The bidder gives the account their deposit is refunded to (until the refund is exported)."""
    check_bidder_owns(actor, registration)
    name, number, bank_name = clean_refund_account(name, number, bank_name)
    with transaction.atomic():
        updated = Registration.objects.filter(pk=registration.pk, refund_item__isnull=True).update(
            refund_account_name=name, refund_account_number=number, refund_bank=bank_name
        )
        if not updated:
            raise TransitionError(
                _("The refund has already been sent to the bank; the account can no longer change.")
            )
        audit.record(
            registration,
            "auctions.registration.refund_account_set",
            actor=actor,
            data={"bank": bank_name, "account_tail": number[-4:]},
        )
    registration.refund_account_name, registration.refund_account_number = name, number
    registration.refund_bank = bank_name


def refunds_waiting() -> QuerySet[Registration]:
    """Refunded deposits not yet in a payment file (with or without an account)."""
    return (
        Registration.objects.filter(
            deposit_status=DepositStatus.REFUNDED, deposit_amount__gt=0, refund_item__isnull=True
        )
        .select_related("session", "organization")
        .order_by("deposit_settled_at", "id")
    )


def _purpose(reg: Registration) -> str:
    return f"退还保证金 {reg.payment_code} {reg.session.title}"[:100]


def refund_file(items: list[RefundItem], file_format: str) -> bytes:
    """The payment file: 收款户名, 收款账号, 开户行, 金额, 用途/附言 (text cells formula-safe)."""
    rows = [
        [item.account_name, item.account_number, item.bank, item.amount, _purpose(item.registration)]
        for item in items
    ]
    if file_format == RefundBatch.Format.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(REFUND_HEADERS)
        for row in rows:
            writer.writerow([f"{v:.2f}" if isinstance(v, Decimal) else safe_text(str(v)) for v in row])
        return buffer.getvalue().encode("utf-8-sig")
    return workbook_bytes([Sheet("退款", REFUND_HEADERS, rows)])


def export_refunds(
    *, actor: Any, file_format: str = RefundBatch.Format.XLSX, is_demo: bool = False
) -> RefundBatch:
    """One payment file of every refunded deposit with an account and not yet exported (audited);
    ``is_demo``: the demo's sample batch (load_demo_auctions), tagged 示例数据."""
    check_run_auctions(actor)
    if file_format not in RefundBatch.Format.values:
        raise ValidationError(_("Choose Excel (.xlsx) or CSV."))
    try:
        with transaction.atomic():
            regs = list(refunds_waiting().exclude(refund_account_number=""))
            if not regs:
                raise ValidationError(
                    _("No refunded deposit with a refund account is waiting to be exported.")
                )
            batch = RefundBatch(
                created_by=actor,
                file_format=file_format,
                item_count=len(regs),
                total=sum((r.deposit_amount for r in regs), Decimal("0")),
                is_demo=is_demo,
            )
            items = [
                RefundItem(
                    registration=reg,
                    account_name=reg.refund_account_name,
                    account_number=reg.refund_account_number,
                    bank=reg.refund_bank,
                    amount=reg.deposit_amount,
                )
                for reg in regs
            ]
            content = refund_file(items, file_format)
            batch.sha256 = hashlib.sha256(content).hexdigest()
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            batch.file.save(f"refunds-{stamp}.{file_format}", ContentFile(content), save=False)
            batch.save(force_insert=True)
            for item in items:
                item.batch = batch
            RefundItem.objects.bulk_create(items)
            entries = [
                audit.entry(
                    reg, "auctions.registration.refund_exported", actor=actor, data={"batch": batch.pk}
                )
                for reg in regs
            ]
            entries.append(
                audit.entry(
                    batch,
                    "auctions.refundbatch.exported",
                    actor=actor,
                    data={"sha256": batch.sha256, "count": batch.item_count, "total": f"{batch.total:.2f}"},
                )
            )
            audit.record_many(entries)
    except IntegrityError as exc:
        raise TransitionError(_("Another export took some of these refunds just now. Try again.")) from exc
    return batch
