"""Deal announcements for the demo's deals (idempotent): the notice of the demo auction's sold lot, the
notice and the transaction certificate of the demo's registered contract, and that contract on the
public 成交公告 list.

    python manage.py load_demo_announcements

Runs after ``load_demo_deals`` and ``load_demo_auctions`` (``make demo``). Their deals opened their
notices already (the ``deal_concluded`` hook); this command opens any that are missing and tags them as
demo data (示例数据). The registered contract's deal is dated back so that its notice period is over and
the certificate is issued by the same sweep as on the platform (its PDF is typeset at once); both
parties' demo accounts consent to announce the contract, with its amount. Nothing here is a real deal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.tasks import wait_for_embedded_tasks

REGISTERED_REF = "demo:registered-contract"
CLOSED_SESSION = "示例·新材料专利降价拍卖专场（已成交）"
BACKDATED_DAYS = 14


class Command(BaseCommand):
    help = "Demo deal announcements, a transaction certificate and a 成交公告 (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="run even when TECHBRIDGE_ENV=production"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not opts["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        from techbridge.announcements import services
        from techbridge.announcements.models import Announcement, Certificate, Publication
        from techbridge.auctions.models import Lot
        from techbridge.deals.models import Offer

        lot = Lot.objects.filter(session__title=CLOSED_SESSION, status="sold").first()
        offer = Offer.objects.filter(room__origin_ref=REGISTERED_REF, status="accepted").first()
        if lot is None or offer is None or offer.contract is None:
            raise CommandError("Run load_demo_deals and load_demo_auctions first.")
        lot_notice = services.open_for_lot(lot.pk)
        deal_notice = services.open_for_offer(offer.pk)
        assert lot_notice is not None and deal_notice is not None
        Announcement.objects.filter(pk__in=[lot_notice.pk, deal_notice.pk]).update(is_demo=True)
        if deal_notice.status == "open":
            concluded = timezone.now() - dt.timedelta(days=BACKDATED_DAYS)
            Announcement.objects.filter(pk=deal_notice.pk).update(
                concluded_at=concluded, period_ends_at=services.period_end(concluded)
            )
        services.end_due_announcements()
        wait_for_embedded_tasks()
        contract = offer.contract
        users = get_user_model().objects.filter(
            organization_id__in=[contract.seller_id, contract.buyer_id], is_active=True
        )
        by_org: dict[int | None, Any] = {}
        for user in users.order_by("pk"):
            by_org.setdefault(user.organization_id, user)
        with transaction.atomic():
            for org_id in (contract.seller_id, contract.buyer_id):
                pub = Publication.objects.filter(contract=contract).first()
                side = "seller" if org_id == contract.seller_id else "buyer"
                if pub is None or getattr(pub, f"{side}_consent_at") is None:
                    services.set_publication_consent(
                        contract, actor=by_org[org_id], consent=True, show_amount=True
                    )
            Publication.objects.filter(contract=contract).update(is_demo=True)
        cert = Certificate.objects.filter(announcement=deal_notice).first()
        self.stdout.write(
            f"演示成交公示：{Announcement.objects.filter(is_demo=True).count()} 条；"
            f"交易鉴证书验证码：{cert.grouped_code if cert else '（未出具）'}；成交公告：1 条。"
        )
