"""factory_boy factories, one module per app (``techbridge.testing.factories.<app>``); the listings'
achievements and demands are here until they move to their own modules."""

from __future__ import annotations

import factory
from django.utils import timezone

from techbridge.achievements.choices import AchievementType
from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand


class AchievementFactory(factory.django.DjangoModelFactory):
    """A draft achievement; pass ``owner`` (and usually ``created_by``)."""

    class Meta:
        model = Achievement

    title = factory.Sequence(lambda n: f"一种高效锂电池隔膜制备方法{n}")
    kind = AchievementType.INVENTION_PATENT
    trl = 5
    summary = "本成果提供一种高孔隙率锂离子电池隔膜的制备方法，提高电池安全性和循环寿命。"
    advantages = "孔隙率提高20%"
    detail = "保密工艺参数：拉伸温度125℃，拉伸比3.5"
    keywords = "锂电池,隔膜"
    price_negotiable = True


class DemandFactory(factory.django.DjangoModelFactory):
    """A draft demand; pass ``enterprise`` (and usually ``created_by``)."""

    class Meta:
        model = Demand

    title = factory.Sequence(lambda n: f"污水处理厂污泥减量技术需求{n}")
    problem = "我公司污水处理厂每天产生大量剩余污泥，处置成本高，希望寻求污泥减量化技术。"
    setting = "日处理5万吨市政污水厂"
    indicators = "污泥产量降低30%以上"
    budget_negotiable = True


def publish(listing, **extra) -> None:
    """Put a listing straight into the published state (test set-up only, bypassing review)."""
    now = timezone.now()
    type(listing).objects.filter(pk=listing.pk).update(
        status=ReviewStatus.PUBLISHED, published_at=now, **extra
    )
    listing.refresh_from_db()
