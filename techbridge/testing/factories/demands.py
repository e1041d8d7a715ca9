"""Demands (技术需求): ``DemandFactory`` for any shape, ``make_demand`` for the usual one — a published,
searchable demand of the cast's enterprise written by its buyer."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

import factory

from techbridge.demands.models import Demand
from techbridge.taxonomy.models import DealMode, IndustryField

from .core import publish
from .organizations import OrganizationFactory


class DemandFactory(factory.django.DjangoModelFactory):
    """A draft demand for sludge reduction at a sewage plant, budget negotiable.

    ``fields`` and ``cooperation_modes`` take taxonomy codes; ``published=True`` publishes it
    (bypassing review) and ``indexed=True`` also puts it in the full-text index. Without
    ``enterprise`` it belongs to a new enterprise; ``created_by`` stays empty unless given.
    """

    class Meta:
        model = Demand
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"污水处理厂污泥减量技术需求{n}")
    problem = "我公司污水处理厂每天产生大量剩余污泥，处置成本高，希望寻求污泥减量化技术。"
    setting = "日处理5万吨市政污水厂"
    indicators = "污泥产量降低30%以上"
    budget_negotiable = True

    @factory.post_generation
    def fields(obj: Any, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.fields.set(IndustryField.objects.filter(code__in=extracted))

    @factory.post_generation
    def cooperation_modes(obj: Any, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.cooperation_modes.set(DealMode.objects.filter(code__in=extracted))

    @factory.post_generation
    def published(obj: Any, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            publish(obj)

    @factory.post_generation
    def indexed(obj: Any, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            from techbridge.demands.tasks import sync_demand_search

            sync_demand_search(obj.pk)


def make_demand(
    cast: Any,
    *,
    published: bool = True,
    fields: Iterable[str] = ("environment",),
    modes: Iterable[str] = ("development",),
    **kw: Any,
) -> Demand:
    """A demand of 示范企业 by the buyer, in 环保 for joint development; published and in the full-text
    index unless ``published=False`` (then a draft). Any field can be overridden."""
    kw.setdefault("enterprise", cast.enterprise)
    kw.setdefault("created_by", cast.buyer)
    kw.setdefault("indexed", published)
    return typing.cast(
        Demand,
        DemandFactory(published=published, fields=tuple(fields), cooperation_modes=tuple(modes), **kw),
    )


def publish_through_review(demand: Demand, *, reviewer: Any) -> Demand:
    """Submit (as its author) and approve (as ``reviewer``) through the services, running what the
    commit triggers (indexing, matching, notifications) as a committed transaction would."""
    from django.test import TestCase

    from techbridge.demands import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit_demand(demand, actor=demand.created_by)
        services.approve_demand(demand, actor=reviewer)
    demand.refresh_from_db()
    return demand
