"""Prices are bounded in 万元: ``1e9`` 万元 (10¹³ yuan) is refused by the form, the API and imports alike."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from techbridge.achievements.models import Achievement
from techbridge.demands.models import Demand
from techbridge.imports.importers.listings import AchievementImporter
from techbridge.lib.numbers import MAX_PRICE_YUAN

from .test_forms import CREATE, valid_data

pytestmark = pytest.mark.django_db

MESSAGE = "超过 1,000,000 万元（100 亿元）的金额不予接受"


def test_the_form_refuses_1e9_wan_yuan_with_a_chinese_message(client, cast):
    client.force_login(cast.researcher)

    response = client.post(CREATE, valid_data(price="1e9"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert MESSAGE in " ".join(response.context["form"].errors["price"])
    assert not Achievement.objects.exists()


def test_the_form_accepts_the_bound_itself(client, cast):
    client.force_login(cast.researcher)

    client.post(CREATE, valid_data(price="1000000"))

    assert Achievement.objects.get().price == MAX_PRICE_YUAN


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/api/v1/achievements/",
            {"title": "天价成果", "kind": "invention_patent", "trl": 5, "summary": "概要", "price": "1e13"},
        ),
        ("/api/v1/demands/", {"title": "天价需求", "problem": "问题描述", "budget_max": "10000000000000"}),
    ],
    ids=["achievement price", "demand budget"],
)
def test_the_api_refuses_a_price_above_the_bound(cast, path, body):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(cast.researcher if "achievements" in path else cast.buyer)

    response = client.post(path, body, format="json")

    assert response.status_code == 400
    assert MESSAGE in response.json()["message"]
    assert not Achievement.objects.exists() and not Demand.objects.exists()


def test_an_import_row_with_a_price_above_the_bound_is_refused():
    row = {
        "external_id": "P-1",
        "title": "天价导入",
        "summary": "x",
        "owner": "示例·价格单位",
        "price": 10**13,
    }

    report = AchievementImporter(source="demo", publish=True).run([(1, row)])

    assert len(report.refused) == 1 and "万元" in report.refused[0].reason
    assert not Achievement.objects.exists()
