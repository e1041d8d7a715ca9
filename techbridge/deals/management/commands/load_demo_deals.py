"""One negotiation taken all the way to a registered technology contract (idempotent), so the rooms,
contracts and registration pages and the contract statistics of ``make demo`` are not empty.

    python manage.py load_demo_deals

Runs after ``load_demo`` and ``demo_accounts``. The demo enterprise opens a room on a published
achievement of the demo researcher's university, both sides accept the NDA and exchange two offers,
the researcher accepts the second (a commissioned development contract, 技术开发（委托）), both sides
sign, the university submits it and the demo reviewer registers it (认定登记). A second, smaller
deal (a technical service brokered by the demo technology manager) is registered and declared
performed, so its client can rate the broker's institution (``load_demo_institutions``). Every step
goes through the services, so the history, notifications and statistics read as they would for a
real deal. All parties are demo organisations (示例数据, with demo credit codes); the rooms are marked
by their origin reference.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement
from techbridge.contracts import services as contracts
from techbridge.core.workflow import ReviewStatus

from ... import services
from ...models import Room

DEMO_REF = "demo:registered-contract"


class Command(BaseCommand):
    help = "Take one demo negotiation to a registered technology contract (idempotent)."

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
        missing = sorted(set(USERS) - set(users))
        if missing:
            raise CommandError(f"Run demo_accounts first (missing: {', '.join(missing)}).")
        researcher = users["researcher"]
        described = (
            Achievement.objects.filter(
                owner=researcher.organization, status=ReviewStatus.PUBLISHED, is_demo=True
            )
            .annotate(n=Length("summary"))
            .filter(n__gte=80)
            .order_by("-n", "pk")
        )
        achievements = list(described[:2])
        if len(achievements) < 2:
            raise CommandError("Run load_demo first: the demo university has too few published achievements.")
        made = []
        for (ref, deal_mode, ask, bid, performed), achievement in zip(DEALS, achievements, strict=True):
            if Room.objects.filter(origin_ref=ref).exists():
                continue
            with transaction.atomic():
                made.append(self._deal(users, achievement, ref, deal_mode, ask, bid, performed))
        for contract in made:
            self.stdout.write(
                f"演示洽谈与已登记合同：{contract.title}（登记号 {contract.registration_number}）。"
            )
        if not made:
            self.stdout.write("演示洽谈与已登记合同：已存在。")

    def _deal(
        self,
        users: dict[str, Any],
        achievement: Any,
        ref: str,
        deal_mode: str,
        ask: str,
        bid: str,
        performed: bool,
    ) -> Any:
        researcher, enterprise, reviewer, broker = (users[n] for n in USERS)
        room = services.open_room(actor=enterprise, achievement=achievement, origin_ref=ref)
        services.post_message(room, actor=enterprise, body=OPENING[deal_mode])
        if performed:
            services.invite_broker(room, actor=enterprise, broker=broker)
        services.accept_room_nda(room, actor=enterprise)
        services.accept_room_nda(room, actor=researcher)
        base = {"deal_mode": deal_mode, "payment_terms": "lump_sum", "exclusivity": ""}
        services.make_offer(room, actor=enterprise, data={**base, "price": bid, "duration_months": 12})
        offer = services.make_offer(
            room,
            actor=researcher,
            data={**base, "price": ask, "duration_months": 12, "note": NOTE[deal_mode]},
        )
        services.accept_offer(offer, actor=enterprise)
        offer.refresh_from_db()
        contract = offer.contract
        if contract is None:
            raise CommandError("Accepting the demo offer made no contract.")
        contracts.sign_contract(contract, actor=researcher)
        contracts.sign_contract(contract, actor=enterprise)
        contract.refresh_from_db()
        contracts.submit_for_registration(contract, actor=researcher)
        contract.refresh_from_db()
        contracts.register_contract(contract, actor=reviewer)
        contract.refresh_from_db()
        if performed:
            contracts.mark_performed(contract, actor=enterprise, note="演示：服务已按约完成并验收。")
            contract.refresh_from_db()
        return contract


# (room reference, deal mode, seller's price, buyer's first offer, declared performed afterwards)
DEALS = [
    (DEMO_REF, "development", "380000", "300000", False),
    ("demo:performed-service-contract", "service", "60000", "45000", True),
]
OPENING = {
    "development": "我们希望将这项成果用于产品的下一代设计，想请课题组按我们的工况做一轮委托开发。",
    "service": "想请课题组为我们的测试数据做一次分析评估，并由技术经理人协助梳理需求。",
}
NOTE = {"development": "含一轮中试验证。", "service": "含评估报告一份。"}
USERS = ("researcher", "enterprise", "reviewer", "broker")
