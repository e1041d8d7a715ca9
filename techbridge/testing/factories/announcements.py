"""Factories of deal announcements (test set-up; statuses set directly, the workflow goes through
``techbridge.announcements.services``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from techbridge.announcements import rules
from techbridge.announcements.choices import CertificateStatus, Origin
from techbridge.announcements.models import Announcement, Certificate, Objection


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """An open notice of a deal concluded an hour ago, ending in five days."""

    class Meta:
        model = Announcement

    origin = Origin.AUCTION
    origin_ref = factory.Sequence(lambda n: f"lot:{90000 + n}")
    subject = factory.Sequence(lambda n: f"一种锂电池隔膜制备方法专利转让{n}")
    seller_name = "示范大学"
    buyer_name = "示范企业有限公司"
    price = Decimal("1010000.00")
    deal_mode = "assignment"
    deal_mode_name = "转让"
    concluded_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    period_ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=5))


def make_announcement(cast_: Any, **extra: Any) -> Announcement:
    """An open notice whose seller is 示范大学 and buyer 示范企业 (the cast's parties)."""
    extra.setdefault("seller", cast_.university)
    extra.setdefault("buyer", cast_.enterprise)
    return cast(Announcement, AnnouncementFactory(**extra))


def make_objection(ann: Announcement, user: Any, *, evidence: bool = False, **extra: Any) -> Objection:
    obj = Objection(
        announcement=ann,
        filed_by=user,
        reason=extra.pop("reason", "出让方并非该专利的权利人，请核实。"),
        **extra,
    )
    if evidence:
        obj.evidence_name = "证据.pdf"
        obj.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 evidence"), save=False)
    obj.save()
    return obj


def make_certificate(ann: Announcement, **extra: Any) -> Certificate:
    """A valid certificate of ``ann`` (its fields copied), without its PDF."""
    values: dict[str, Any] = {
        "announcement": ann,
        "code": rules.new_code(),
        "subject": ann.subject,
        "seller_name": ann.seller_name,
        "buyer_name": ann.buyer_name,
        "price": ann.price,
        "origin": ann.origin,
        "deal_mode_name": ann.deal_mode_name,
        "concluded_at": ann.concluded_at,
        "period_ends_at": ann.period_ends_at,
        "status": CertificateStatus.VALID,
    }
    values.update(extra)
    return Certificate.objects.create(**values)
