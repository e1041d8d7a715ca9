"""Background work of valuation: keep stored grades in step with the achievements and the weights."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.valuation.regrade_achievement")
def regrade_achievement(pk: int) -> str:
    """Recompute the grade of one achievement (after it changed). Idempotent."""
    from techbridge.achievements.models import Achievement

    from . import services

    achievement = Achievement.objects.filter(pk=pk).first()
    if achievement is None:
        return "missing"
    services.regrade(achievement)
    return "graded"


@shared_task(name="techbridge.valuation.regrade_achievements")
def regrade_achievements(pks: list[int]) -> int:
    """Recompute the grades of a batch of achievements (an import batch). Idempotent."""
    from techbridge.achievements.models import Achievement

    from . import services

    weights = services.current_weights()
    count = 0
    for achievement in Achievement.objects.filter(pk__in=pks).select_related("valuation_scorecard"):
        services.regrade(achievement, weights=weights)
        count += 1
    return count


@shared_task(name="techbridge.valuation.regrade_all")
def regrade_all() -> int:
    """Recompute every grade with the weights in force (after a new weights version). Idempotent."""
    from techbridge.achievements.models import Achievement
    from techbridge.core.workflow import ReviewStatus

    from . import services

    weights = services.current_weights()
    count = 0
    qs = Achievement.objects.filter(status=ReviewStatus.PUBLISHED) | Achievement.objects.filter(
        valuation_scorecard__isnull=False
    )
    for achievement in qs.distinct().select_related("valuation_scorecard").iterator(chunk_size=500):
        services.regrade(achievement, weights=weights)
        count += 1
    return count
