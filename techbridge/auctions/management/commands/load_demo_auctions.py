"""Two demo auction sessions (idempotent): one live, with bids on the table, and one closed, whose lot
was sold to the demo enterprise (its contract draft follows, as after any sale).

    python manage.py load_demo_auctions

Runs after ``load_demo`` and ``demo_accounts`` (``make demo``). The sessions are titled 示例·… and say
in their description that they are demo data; the lots are published demo patents (示例数据). Every
step goes through the services as on the platform: the demo operator creates the sessions and lots,
the demo reviewer screens them, the demo enterprise and the demo broker register, and they bid (the bid
chain is hashed as for real bids). Their deposits are paid by a sample bank statement of the sample
receiving account (``bank.receiving_account()``), built from their own payment references and deposit
amounts and imported by the demo operator as on the platform: the reconciliation confirms both, and one
line without a reference stays unmatched for the operators' queue. The statement and its file name are
tagged 示例数据/示例; with a real receiving account configured no sample statement is made (the operator
confirms the deposits by hand). In the closed session the demo broker loses: the session's settlement
refunds the deposit, the broker gives a sample refund account and the operator exports the refund
payment file (a batch tagged 示例数据).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.xlsx import Sheet, workbook_bytes

from ... import bank
from ...choices import DepositStatus, LotFormat, SaleKind
from ...deposits import export_refunds, import_statement, refunds_waiting, set_refund_account
from ...models import AuctionSession, BankStatement, Lot, RefundBatch, Registration
from ...services import (
    confirm_deposit,
    place_bid,
    publish_session,
    register_bidder,
    save_lot,
    save_session,
    screen_lot,
    submit_lot,
)
from ...services.rules import dutch_price, minimum_bid, new_nonce

DEMO_NOTE = "演示数据：为演示网上拍卖功能而设的专场，拍品为演示数据中的公开专利，出价由演示账号完成。"
LIVE = "示例·2026年高校院所专利网上拍卖专场"
CLOSED = "示例·新材料专利降价拍卖专场（已成交）"
USERS = ("operator", "reviewer", "enterprise", "broker")
STATEMENT_HEADERS = ("交易日期", "流水号", "对方户名", "收入金额", "支出金额", "摘要", "附言")


class Command(BaseCommand):
    help = "Create a live and a closed demo auction session with bids (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="run even when TECHBRIDGE_ENV=production"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not opts["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
        if len(users) != len(USERS):
            raise CommandError("Run demo_accounts first.")
        operator, reviewer, enterprise, broker = (users[n] for n in USERS)
        done = []
        patents = list(
            Achievement.objects.filter(
                status=ReviewStatus.PUBLISHED,
                is_demo=True,
                kind__in=("invention_patent", "utility_model"),
                auction_lots__isnull=True,
            )
            .exclude(owner__in=[enterprise.organization_id, broker.organization_id])
            .annotate(n=Length("summary"))
            .filter(n__gte=60)
            .order_by("-n", "pk")[:3]
        )
        if len(patents) < 3:
            raise CommandError("Run load_demo first: fewer than three described demo patents are published.")
        now = timezone.now()
        live_new = not AuctionSession.objects.filter(title=LIVE).exists()
        closed_new = not AuctionSession.objects.filter(title=CLOSED).exists()
        with transaction.atomic():
            due: list[Registration] = []  # deposits to pay before anyone bids
            if live_new:
                live = self._session(operator, LIVE, now - timedelta(hours=1), deposit="5000")
                lots = [
                    self._lot(operator, reviewer, live, patents[0], now, hours=48, price="200000"),
                    self._lot(operator, reviewer, live, patents[1], now, hours=72, price="120000"),
                ]
                publish_session(actor=operator, session=live)
                due += [register_bidder(actor=bidder, session=live) for bidder in (enterprise, broker)]
            if closed_new:
                closed = self._session(operator, CLOSED, now - timedelta(hours=2), deposit="5000")
                dutch = self._lot(
                    operator, reviewer, closed, patents[2], now, hours=2, price="150000", dutch=True
                )
                publish_session(actor=operator, session=closed)
                due += [register_bidder(actor=bidder, session=closed) for bidder in (enterprise, broker)]
            if due and self._statement(operator, due) is None:  # a real receiving account is configured
                for reg in due:
                    confirm_deposit(actor=operator, registration=reg, reference="演示转账凭证")
            if live_new:
                lot = lots[0]
                for bidder in (enterprise, broker, enterprise):
                    lot.refresh_from_db()
                    place_bid(actor=bidder, lot_id=lot.pk, amount=minimum_bid(lot), nonce=new_nonce())
                done.append(LIVE)
            if closed_new:
                dutch.refresh_from_db()
                # A Dutch lot is sold to the first bidder who accepts the clock price; the session then
                # closes and the losing bidder's deposit is refunded (the winner's is held).
                place_bid(actor=enterprise, lot_id=dutch.pk, amount=dutch_price(dutch), nonce=new_nonce())
                self._refunds(operator, broker, closed)
                done.append(CLOSED)
        self.stdout.write(f"演示拍卖专场：新建 {len(done)} 个。")

    def _statement(self, operator: Any, regs: list[Registration]) -> BankStatement | None:
        """The sample statement of the sample receiving account: one line per registration paying its
        deposit with its own payment reference, and one line without a reference (it stays unmatched,
        so the operators' queue shows what to do). Imported as on the platform (the deposits are
        confirmed by the reconciliation) and tagged 示例数据. ``None`` when a real receiving account is
        configured: a sample statement is never presented as that account's."""
        account = bank.receiving_account()
        if account is None or not account.is_demo:
            return None
        first = not BankStatement.objects.filter(is_demo=True).exists()
        today = timezone.localdate()
        rows: list[list[Any]] = []
        for reg in regs:
            rows.append(
                [
                    f"{today:%Y-%m-%d}",
                    f"DEMO-{reg.payment_code}",
                    f"{reg.organization.name}（示例）",
                    f"{reg.deposit_amount:.2f}",
                    "",
                    "示例数据",
                    f"竞买保证金 {reg.payment_code}",
                ]
            )
        if first:  # a payer who forgot the reference: the operator assigns or dismisses it by hand
            rows.append(
                [
                    f"{today:%Y-%m-%d}",
                    f"DEMO-{today:%Y%m%d}-NOREF",
                    "示例付款单位",
                    f"{regs[0].deposit_amount:.2f}",
                    "",
                    "示例数据",
                    "拍卖保证金",
                ]
            )
        content = workbook_bytes([Sheet("示例流水（非真实银行数据）", STATEMENT_HEADERS, rows)])
        name = f"示例·{account.bank}·保证金账户流水-{today:%Y%m%d}.xlsx"
        return import_statement(actor=operator, name=name, content=content, is_demo=True)

    def _refunds(self, operator: Any, loser: Any, session: AuctionSession) -> RefundBatch | None:
        """The losing bidder gives a (sample) refund account and the operator exports the payment file
        of the refunded deposit, tagged 示例数据. Skipped when refunds other than the demo sessions'
        wait for export: a demo batch never carries a real refund."""
        reg = Registration.objects.select_related("organization").get(session=session, user=loser)
        if reg.deposit_status != DepositStatus.REFUNDED:
            return None
        set_refund_account(
            actor=loser,
            registration=reg,
            name=f"{reg.organization.name}（示例）",
            number="0000000000000000002",
            bank_name=str(_("Sample Bank, Nanjing branch (sample)")),
        )
        if refunds_waiting().exclude(session__title__in=[LIVE, CLOSED]).exists():
            return None
        return export_refunds(actor=operator, file_format=RefundBatch.Format.XLSX, is_demo=True)

    def _session(self, operator: Any, title: str, starts_at: Any, *, deposit: str) -> AuctionSession:
        session = AuctionSession(
            title=title,
            description=DEMO_NOTE,
            starts_at=starts_at,
            deposit_amount=Decimal(deposit),
            bidder_terms="竞买人应为本平台已审核机构的成员；成交后双方按成交价签订技术转让合同。",
        )
        return save_session(actor=operator, session=session)

    def _lot(
        self,
        operator: Any,
        reviewer: Any,
        session: AuctionSession,
        achievement: Achievement,
        now: Any,
        *,
        hours: int,
        price: str,
        dutch: bool = False,
    ) -> Lot:
        starting = Decimal(price)
        lot = Lot(
            session=session,
            title=f"{achievement.title[:150]}（专利权转让）",
            description=f"{achievement.summary[:800]}\n\n{DEMO_NOTE}",
            achievement=achievement,
            sale_kind=SaleKind.ASSIGNMENT,
            format=LotFormat.DUTCH if dutch else LotFormat.ENGLISH,
            starting_price=starting,
            increment=Decimal("5000"),
            starts_at=now - timedelta(minutes=30),
            scheduled_end_at=now + timedelta(hours=hours),
        )
        if dutch:
            lot.dutch_decrement = Decimal("2000")
            lot.dutch_interval_seconds = 300
            lot.reserve_price = starting * Decimal("0.7")
        save_lot(actor=operator, lot=lot)
        submit_lot(actor=operator, lot=lot)
        screen_lot(
            actor=reviewer,
            lot=lot,
            approve=True,
            rights_verified=True,
            rights_in_force=True,
            no_encumbrance=True,
            note="演示：权属、有效性与无权利负担已核对（演示数据）。",
        )
        return lot
