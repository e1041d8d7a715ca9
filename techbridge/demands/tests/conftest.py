"""Fixtures of the demand page tests: demands of the cast's enterprise."""

from __future__ import annotations

import typing

import pytest

from techbridge.demands.models import Demand
from techbridge.demands.tasks import sync_demand_search
from techbridge.taxonomy.models import DealMode, IndustryField
from techbridge.testing.factories import DemandFactory, publish


def make_demand(cast, *, published: bool = True, fields=("environment",), modes=("development",), **kw):
    """A demand of 示范企业 by the buyer; published and indexed unless told otherwise."""
    kw.setdefault("enterprise", cast.enterprise)
    kw.setdefault("created_by", cast.buyer)
    demand = typing.cast(Demand, DemandFactory(**kw))
    demand.fields.set(IndustryField.objects.filter(code__in=fields))
    demand.cooperation_modes.set(DealMode.objects.filter(code__in=modes))
    if published:
        publish(demand)
        sync_demand_search(demand.pk)
    return demand


@pytest.fixture
def published(cast):
    return make_demand(cast, title="污水处理厂污泥减量技术需求")


@pytest.fixture
def draft(cast):
    return make_demand(cast, published=False, title="未公开的废气治理需求")
