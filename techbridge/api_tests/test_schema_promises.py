"""Answers the schema did not promise, found by the schemathesis conformance run (issue 20 point 5):
each is now documented or answered as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs" / "openapi.json").read_text())


def test_a_year_out_of_range_is_a_400_in_chinese_not_a_server_error(client, cast):
    client.force_login(cast.operator)
    for year in ("10000", "0"):
        response = client.get(
            "/api/v1/ipservices/assistance-statistics/", {"year": year}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        assert response.status_code == 400, year
        assert "1949" in response.json()["message"] and "年份" in response.json()["message"]
    assert client.get("/api/v1/ipservices/assistance-statistics/", {"year": "2025"}).status_code == 200


def test_every_operation_documents_the_errors_any_operation_may_answer():
    for path, item in SCHEMA["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert {"401", "403", "503"} <= codes, (method, path)
            if "{" in path:
                assert {"400", "404"} <= codes, (method, path)
            assert op["responses"]["503"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }


def test_an_organisation_without_zone_or_website_conforms(client, cast):
    from techbridge.organizations.models import Organization

    Organization.objects.filter(pk=cast.university.pk).update(zone=None, website="")
    body = client.get(f"/api/v1/organizations/{cast.university.pk}/").json()
    props = SCHEMA["components"]["schemas"]["Organization"]["properties"]
    assert body["zone"] is None and props["zone"].get("nullable") is True
    assert body["website"] == "" and props["website"].get("format") != "uri"


def test_the_screening_list_is_documented_as_the_page_it_is(client, cast):
    client.force_login(cast.operator)
    body = client.get("/api/v1/valuation/screening/").json()
    schema = SCHEMA["paths"]["/api/v1/valuation/screening/"]["get"]["responses"]["200"]["content"]
    ref = schema["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert (
        set(body)
        == set(SCHEMA["components"]["schemas"][ref]["properties"])
        == {"count", "next", "previous", "results"}
    )


def test_an_unknown_industry_in_an_assistance_request_is_a_400_not_a_404(client, cast):
    client.force_login(cast.buyer)
    response = client.post(
        "/api/v1/ipservices/assistance-requests/",
        {
            "title": "专利侵权纠纷援助",
            "description": "对方涉嫌侵犯我方发明专利。",
            "kind": "infringement",
            "industry": 999999,
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["industry"] == ["未知的行业。"]
