"""``load_demo_auctions``: the live demo session's deposits are paid by a sample bank statement built from
the demo registrations' own payment references and amounts (imported and reconciled as on the
platform), with one line without a reference left for the operators; tagged 示例; safe to run again."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from techbridge.auctions.choices import DepositStatus, LineStatus, SessionStatus, UnmatchedReason
from techbridge.auctions.models import (
    AuctionSession,
    BankStatement,
    RefundBatch,
    Registration,
    StatementLine,
)
from techbridge.core.roles import Role
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.achievements import AchievementFactory

pytestmark = pytest.mark.django_db

LIVE = "示例·2026年高校院所专利网上拍卖专场"
CLOSED = "示例·新材料专利降价拍卖专场（已成交）"


@pytest.fixture
def demo_world(cast, media_root):
    """The demo accounts the loader expects (operator, reviewer, broker are the cast's) and six
    published, described demo patents of 示范大学 (a second run looks for three unsold ones first)."""
    UserFactory(username="enterprise", organization=cast.enterprise, role=Role.ORG_ADMIN)
    for n in range(6):
        AchievementFactory(
            owner=cast.university,
            created_by=cast.researcher,
            title=f"一种高镍正极材料的包覆改性方法{n}",
            summary="本发明公开了一种高镍三元正极材料的包覆改性方法，通过原子层沉积在颗粒表面形成"
            "均匀的氧化铝包覆层，抑制循环过程中的界面副反应，提高电池的循环寿命与热稳定性。",
            is_demo=True,
            published=True,
        )


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo_auctions", stdout=out)
    return out.getvalue()


def test_the_demo_deposits_are_paid_by_a_sample_statement_with_one_unmatched_line(demo_world, cast, client):
    _load()
    regs = list(
        Registration.objects.filter(session__title__in=[LIVE, CLOSED]).order_by("session_id", "number")
    )
    assert len(regs) == 4 and all(r.deposit_amount == Decimal("5000") for r in regs)

    statement = BankStatement.objects.get()
    assert statement.is_demo and statement.file_name.startswith("示例·示例银行南京分行")
    assert (statement.line_count, statement.matched_count, statement.unmatched_count) == (5, 4, 1)
    matched = list(statement.lines.filter(status=LineStatus.MATCHED).order_by("row_number"))
    # Each matched line carries the registration's own reference and pays exactly its deposit.
    assert [(line.registration_id, line.reference) for line in matched] == [
        (r.pk, r.payment_code) for r in regs
    ]
    assert all(line.amount == r.deposit_amount for line, r in zip(matched, regs, strict=True))
    assert [r.deposit_reference for r in regs] == [line.serial for line in matched]
    unmatched = statement.lines.get(status=LineStatus.UNMATCHED)
    assert unmatched.reason == UnmatchedReason.NO_REFERENCE and unmatched.registration is None
    assert all("示例" in line.payer_name or "示例" in line.remark for line in statement.lines.all())
    live = [r.deposit_status for r in regs if r.session.title == LIVE]
    assert live == [DepositStatus.PAID, DepositStatus.PAID]

    # The operator's pages show it tagged as demo data, and the unmatched queue is not empty.
    client.force_login(cast.operator)
    html = client.get(reverse("auctions_console:statements")).content.decode()
    assert statement.file_name in html and "示例数据" in html
    html = client.get(reverse("auctions_console:statement", args=[statement.pk])).content.decode()
    assert "并非真实银行流水" in html
    html = client.get(reverse("auctions_console:unmatched")).content.decode()
    assert unmatched.serial in html and "附言中没有付款识别码" in html and "示例数据" in html
    listed = client.get("/api/v1/auctions/statements/").json()["results"]
    assert [(row["id"], row["is_demo"]) for row in listed] == [(statement.pk, True)]

    # Running the loader again imports nothing twice.
    _load()
    assert BankStatement.objects.count() == 1 and StatementLine.objects.count() == 5


def test_the_closed_demo_session_refunds_the_loser_in_a_demo_payment_file(demo_world, cast, client):
    _load()
    closed = AuctionSession.objects.get(title=CLOSED)
    winner = Registration.objects.get(session=closed, user__username="enterprise")
    loser = Registration.objects.get(session=closed, user=cast.broker)
    assert closed.status == SessionStatus.CLOSED
    assert winner.deposit_status == DepositStatus.PAID  # held against the contract
    assert loser.deposit_status == DepositStatus.REFUNDED
    batch = RefundBatch.objects.get()
    assert batch.is_demo and (batch.item_count, batch.total) == (1, Decimal("5000"))
    item = batch.items.get()
    assert item.registration_id == loser.pk and item.account_name.endswith("（示例）")
    rows = list(load_workbook(batch.file.open("rb"), read_only=True).active.iter_rows(values_only=True))
    assert rows[1][0] == item.account_name and loser.payment_code in rows[1][4]
    assert hashlib.sha256(batch.file.open("rb").read()).hexdigest() == batch.sha256

    client.force_login(cast.operator)
    html = client.get(reverse("auctions_console:refunds")).content.decode()
    assert "示例数据" in html and reverse("auctions_console:refund_download", args=[batch.pk]) in html
    listed = client.get("/api/v1/auctions/refund-batches/").json()["results"]
    assert [(row["id"], row["is_demo"]) for row in listed] == [(batch.pk, True)]

    _load()
    assert RefundBatch.objects.count() == 1


def test_no_sample_statement_is_made_for_a_real_receiving_account(demo_world, settings):
    settings.DEPOSIT_ACCOUNT_NAME = "南京市技术市场管理服务中心"
    settings.DEPOSIT_ACCOUNT_BANK = "中国银行南京城南支行"
    settings.DEPOSIT_ACCOUNT_NUMBER = "5302 6622 1234"
    _load()
    assert not BankStatement.objects.exists()
    regs = Registration.objects.filter(session__title=LIVE)
    assert regs.count() == 2 and all(r.deposit_status == DepositStatus.PAID for r in regs)
    assert RefundBatch.objects.get().is_demo  # the closed session still refunds its loser
