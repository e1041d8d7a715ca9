"""Published demo catalogues (成果目录) and achievement packages (科技成果包) (idempotent), so the
catalogue and package pages of ``make demo`` are not empty before the background clustering ends.

    python manage.py load_demo_mining

Runs after ``load_demo`` and ``demo_accounts``. For the industry fields with the most described demo
achievements, the demo operator composes a package and a catalogue of them and publishes both, through
the services. Titles start with 示例·, descriptions say the records are demo data; the members are the
published demo listings (示例数据) themselves. Packages proposed later by ``propose_packages`` are
drafts for staff to review and do not replace these.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus
from techbridge.taxonomy.models import IndustryField

from ...catalogues import add_achievements, create_catalogue, publish_catalogue
from ...models import AchievementPackage, Catalogue
from ...services import create_package, publish_package

DEMO_NOTE = "演示数据：由平台运营人员从演示成果中编排，供演示成果包与成果目录功能。"
FIELDS = 2
PER_PACKAGE = 6
PER_CATALOGUE = 12


def described(field: IndustryField) -> Any:
    """Published demo achievements of ``field`` with a real description, the longest first."""
    return (
        Achievement.objects.filter(status=ReviewStatus.PUBLISHED, is_demo=True, fields=field)
        .annotate(n=Length("summary"))
        .filter(n__gte=60)
        .order_by("-n", "pk")
    )


class Command(BaseCommand):
    help = "Publish demo achievement packages and catalogues composed by the demo operator (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="run even when TECHBRIDGE_ENV=production"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not opts["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        operator = get_user_model().objects.filter(username="operator").first()
        if operator is None:
            raise CommandError("Run demo_accounts first: the demo operator composes the catalogues.")
        fields = list(
            IndustryField.objects.annotate(
                n=Count(
                    "achievement",
                    filter=Q(achievement__status=ReviewStatus.PUBLISHED, achievement__is_demo=True),
                )
            )
            .filter(n__gte=2)
            .order_by("-n", "order")[:FIELDS]
        )
        packages = catalogues = 0
        with transaction.atomic():
            for field in fields:
                members = list(described(field)[:PER_CATALOGUE])
                if len(members) < 2:
                    continue
                title = f"示例·{field.name}科技成果包"
                lead = "；".join(a.title for a in members[:3])
                if not AchievementPackage.objects.filter(title=title).exists():
                    package = create_package(
                        actor=operator,
                        title=title,
                        summary=f"{field.name}领域可组合转化的成果：{lead}等。\n\n{DEMO_NOTE}",
                        field=field,
                        achievements=members[:PER_PACKAGE],
                    )
                    publish_package(package, actor=operator)
                    packages += 1
                title = f"示例·{field.name}领域科技成果目录"
                if not Catalogue.objects.filter(title=title).exists():
                    catalogue = create_catalogue(
                        actor=operator,
                        title=title,
                        description=f"面向{field.name}领域企业推介的高校院所成果。{DEMO_NOTE}",
                    )
                    add_achievements(catalogue, [a.pk for a in members], actor=operator)
                    publish_catalogue(catalogue, actor=operator)
                    catalogues += 1
        self.stdout.write(f"演示成果包：新建 {packages} 个；演示成果目录：新建 {catalogues} 份。")
