"""Background work of ipservices (takes primary keys; idempotent; enqueued with core.tasks.enqueue)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="techbridge.ipservices.patents_changed")
def patents_changed(pks: list[int], new: list[int]) -> dict[str, Any]:
    """After patents arrive or change: industry membership, links to achievements, early warning."""
    from .services import navigation, register, warning

    return {
        "memberships": navigation.update_memberships(pks),
        "links": register.link_achievements(pks),
        "alerts": warning.check_patents(new) if new else 0,
    }


@shared_task(name="techbridge.ipservices.refresh_industry")
def refresh_industry(industry_pk: int) -> int:
    from .services.navigation import refresh_membership

    return refresh_membership(industry_pk)


@shared_task(name="techbridge.ipservices.build_report")
def build_report(report_pk: int) -> str:
    from .services.navigation import build_report as build

    return build(report_pk).status


@shared_task(name="techbridge.ipservices.scan_for_product")
def scan_for_product(product_pk: int) -> int:
    from .services.warning import scan_for_product as scan

    return scan(product_pk)


@shared_task(name="techbridge.ipservices.link_achievement")
def link_achievement(achievement_pk: int) -> int:
    from .services.register import link_achievement as link

    return link(achievement_pk)
