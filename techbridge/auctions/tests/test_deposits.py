"""Deposits paid by bank transfer: payment references, statement import and reconciliation, unmatched
lines resolved by an operator, refunds exported as a payment file (issue 19, point 8)."""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from techbridge.auctions import deposits, services
from techbridge.auctions.bank import StatementError
from techbridge.auctions.choices import DepositStatus, LineStatus, UnmatchedReason
from techbridge.auctions.models import BankStatement, RefundItem, StatementLine
from techbridge.auctions.permissions import registration_may_bid
from techbridge.auctions.references import check_character, find_references, new_reference
from techbridge.core.models import AuditEntry
from techbridge.testing.factories.auctions import bid, statement_csv, statement_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def regs(cast, session):
    """The buyer's and the broker's registrations, each with a 5,000 yuan deposit to pay."""
    return (
        services.register_bidder(actor=cast.buyer, session=session),
        services.register_bidder(actor=cast.broker, session=session),
    )


def _mistyped(code: str) -> str:
    """The reference with a wrong check character."""
    wrong = "2" if code[-1] != "2" else "3"
    return code[:-1] + wrong


# ---- references ------------------------------------------------------------------------------------------


def test_references_are_unique_short_and_checked(regs):
    buyer, broker = regs
    assert buyer.payment_code != broker.payment_code
    assert len(buyer.payment_code) == 15 and buyer.payment_code.startswith("TB-")
    body = buyer.payment_code[3:7] + buyer.payment_code[8:13]
    assert buyer.payment_code[-1] == check_character(body)
    # read back however the bank folded it: no hyphens, lower case, full-width, inside other text
    folded = buyer.payment_code.replace("-", "").lower()
    assert find_references(f"网银转账 保证金{folded}号")[0].reference == buyer.payment_code
    assert find_references("ＴＢ－" + buyer.payment_code[3:])[0].valid
    assert not find_references(_mistyped(buyer.payment_code))[0].valid
    # random, so not guaranteed distinct (the register service retries a clash); two clashes in 200 draws
    # from 31**5 would be a broken generator
    assert len({new_reference() for _ in range(200)}) >= 199


# ---- the Done-when point -------------------------------------------------------------------------------


def test_statement_reconciles_matched_and_lists_unmatched_with_reasons(cast, session, regs, lot):
    buyer, broker = regs
    content = statement_csv(
        [
            {"serial": "S001", "amount": "5000", "remark": f"保证金 {buyer.payment_code}"},
            {"serial": "S002", "amount": "3000", "remark": f"保证金 {broker.payment_code}"},
            {"serial": "S003", "amount": "5000", "remark": "保证金 无识别码"},
            {"serial": "S004", "amount": "5000", "remark": _mistyped(broker.payment_code)},
            {"serial": "S005", "amount": "5000", "remark": "TB-2026-23456-" + check_character("202623456")},
            {"serial": "S006", "amount": "-5000", "remark": f"退款 {buyer.payment_code}"},
            {"serial": "S007", "amount": "5000", "remark": f"重复付款 {buyer.payment_code}"},
        ]
    )
    statement = deposits.import_statement(actor=cast.operator, name="12月对账单.csv", content=content)

    assert (statement.new_count, statement.matched_count, statement.unmatched_count) == (7, 1, 6)
    buyer.refresh_from_db()
    broker.refresh_from_db()
    assert buyer.deposit_status == DepositStatus.PAID and buyer.deposit_reference == "S001"
    assert registration_may_bid(buyer)
    assert broker.deposit_status == DepositStatus.REQUIRED and not registration_may_bid(broker)
    reasons = dict(StatementLine.objects.values_list("serial", "reason"))
    assert reasons == {
        "S001": "",
        "S002": UnmatchedReason.PARTIAL,
        "S003": UnmatchedReason.NO_REFERENCE,
        "S004": UnmatchedReason.BAD_CHECK,
        "S005": UnmatchedReason.UNKNOWN_REFERENCE,
        "S006": UnmatchedReason.OUTGOING,
        "S007": UnmatchedReason.ALREADY_PAID,
    }
    assert StatementLine.objects.get(serial="S001").registration == buyer
    assert AuditEntry.objects.filter(
        action="auctions.registration.deposit_paid", object_id=str(buyer.pk)
    ).exists()
    # the matched bidder can bid now
    lot.refresh_from_db()
    assert bid(cast.buyer, lot, lot.starting_price).bid.amount == lot.starting_price


def test_importing_the_same_statement_twice_pays_nothing_twice(cast, regs):
    buyer, _broker = regs
    content = statement_xlsx([{"serial": "X1", "amount": "5000", "remark": buyer.payment_code}])
    first = deposits.import_statement(actor=cast.operator, name="a.xlsx", content=content)
    second = deposits.import_statement(actor=cast.operator, name="a.xlsx", content=content)
    assert (first.new_count, first.matched_count) == (1, 1)
    assert (second.new_count, second.duplicate_count, second.matched_count) == (0, 1, 0)
    assert StatementLine.objects.count() == 1
    assert AuditEntry.objects.filter(action="auctions.registration.deposit_paid").count() == 1


def test_bad_file_is_refused_row_by_row_and_nothing_is_written(cast, regs, english):
    content = statement_csv(
        [
            {"serial": "B1", "amount": "5000", "remark": "x", "date": "2026-13-45"},
            {"serial": "B2", "amount": "五千", "remark": "x"},
            {"serial": "B3", "amount": "5000", "remark": regs[0].payment_code},
        ]
    )
    with pytest.raises(StatementError) as exc:
        deposits.import_statement(actor=cast.operator, name="bad.csv", content=content)
    text = "\n".join(exc.value.messages)
    assert "Row 3" in text and "2026-13-45" in text and "Row 4" in text and "五千" in text
    assert BankStatement.objects.count() == 0 and StatementLine.objects.count() == 0
    regs[0].refresh_from_db()
    assert regs[0].deposit_status == DepositStatus.REQUIRED


def test_missing_column_is_named_in_chinese(cast, regs):
    content = "交易日期,摘要,收入金额\n2026-12-01,x,5000\n".encode()
    with pytest.raises(StatementError) as exc:
        deposits.import_statement(actor=cast.operator, name="s.csv", content=content)
    assert exc.value.messages == ["缺少“流水号”列（也可写作：交易流水号、交易流水、业务流水号）。"]


def test_only_operators_import(cast, regs):
    content = statement_csv([{"serial": "P1", "amount": "5000", "remark": regs[0].payment_code}])
    for user in (cast.reviewer, cast.buyer):
        with pytest.raises(PermissionDenied):
            deposits.import_statement(actor=user, name="s.csv", content=content)


# ---- the operator resolves unmatched lines -------------------------------------------------------------


def _unmatched(cast, regs, amount="3000"):
    content = statement_csv([{"serial": "U1", "amount": amount, "remark": "付保证金 南京某某"}])
    deposits.import_statement(actor=cast.operator, name="u.csv", content=content)
    return StatementLine.objects.get(serial="U1")


def test_assign_checks_the_amount_unless_overridden(cast, regs, english):
    line = _unmatched(cast, regs)
    with pytest.raises(ValidationError, match=r"3,000\.00 yuan but the deposit due is 5,000\.00"):
        deposits.assign_line(actor=cast.operator, line=line, registration=regs[1])
    deposits.assign_line(
        actor=cast.operator, line=line, registration=regs[1], override_reason="余款2000元已现场补缴"
    )
    line.refresh_from_db()
    regs[1].refresh_from_db()
    assert line.status == LineStatus.ASSIGNED and line.registration == regs[1]
    assert regs[1].deposit_status == DepositStatus.PAID
    entry = AuditEntry.objects.get(action="auctions.statementline.assigned")
    assert entry.message == "余款2000元已现场补缴" and entry.actor == cast.operator


def test_dismiss_needs_a_reason(cast, regs):
    line = _unmatched(cast, regs)
    with pytest.raises(ValidationError):
        deposits.dismiss_line(actor=cast.operator, line=line, reason=" ")
    deposits.dismiss_line(actor=cast.operator, line=line, reason="非保证金款项，已原路退回")
    line.refresh_from_db()
    assert line.status == LineStatus.DISMISSED and line.resolution_note == "非保证金款项，已原路退回"
    with pytest.raises(Exception, match=r"已处理|already been resolved"):
        deposits.dismiss_line(actor=cast.operator, line=line, reason="again")


# ---- refunds -------------------------------------------------------------------------------------------


def test_refund_account_is_validated(cast, regs, english):
    with pytest.raises(ValidationError) as exc:
        deposits.set_refund_account(
            actor=cast.buyer, registration=regs[0], name="", number="12ab", bank_name=""
        )
    assert set(exc.value.message_dict) == {"refund_account_name", "refund_account_number", "refund_bank"}
    assert exc.value.message_dict["refund_account_number"] == ["The account number must be 8 to 30 digits."]
    with pytest.raises(PermissionDenied):
        deposits.set_refund_account(
            actor=cast.broker, registration=regs[0], name="x", number="12345678", bank_name="y"
        )


def test_refunds_export_once_with_accounts_and_no_formulas(cast, regs):
    buyer, broker = regs
    for reg in regs:
        services.confirm_deposit(actor=cast.operator, registration=reg, reference="B")
        reg.refresh_from_db()
    deposits.set_refund_account(
        actor=cast.buyer,
        registration=buyer,
        name='=HYPERLINK("http://x")',
        number="6222 0211 0001 2345",
        bank_name="工商银行南京新街口支行",
    )
    for reg in regs:
        services.refund_deposit(actor=cast.operator, registration=reg)
    batch = deposits.export_refunds(actor=cast.operator)
    assert batch.item_count == 1 and batch.total == Decimal("5000.00")
    content = batch.file.read()
    assert hashlib.sha256(content).hexdigest() == batch.sha256
    ws = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["收款户名", "收款账号", "开户行", "金额", "用途/附言"]
    assert rows[1][:4] == ['\'=HYPERLINK("http://x")', "6222021100012345", "工商银行南京新街口支行", 5000]
    assert buyer.payment_code in rows[1][4]
    # the broker has no account yet: still waiting; the buyer is never exported again
    assert list(deposits.refunds_waiting()) == [broker]
    with pytest.raises(ValidationError):
        deposits.export_refunds(actor=cast.operator)
    deposits.set_refund_account(
        actor=cast.broker,
        registration=broker,
        name="南京某某公司",
        number="32010000111122223333",
        bank_name="建设银行",
    )
    csv_batch = deposits.export_refunds(actor=cast.operator, file_format="csv")
    lines = list(csv.reader(io.StringIO(csv_batch.file.read().decode("utf-8-sig"))))
    assert lines[1][:4] == ["南京某某公司", "32010000111122223333", "建设银行", "5000.00"]
    assert RefundItem.objects.count() == 2
    assert AuditEntry.objects.filter(action="auctions.refundbatch.exported").count() == 2
