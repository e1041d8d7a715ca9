"""An undocumented query parameter is refused with the allowed ones, not silently ignored."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_misspelt_parameter_is_refused_with_the_allowed_ones(api, published_achievement):
    response = api.get("/api/v1/achievements/", {"serach": "锂电池"})

    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["unknown_parameters"] == ["serach"]
    assert "q" in body["errors"]["allowed_parameters"]
    assert "serach" in body["message"] and "q" in body["message"]


def test_search_is_read_as_q(api, published_achievement):
    from techbridge.achievements.tasks import sync_achievement_search

    sync_achievement_search(published_achievement.pk)
    by_q = api.get("/api/v1/achievements/", {"q": "隔膜"}).json()
    by_search = api.get("/api/v1/achievements/", {"search": "隔膜"}).json()
    nothing = api.get("/api/v1/achievements/", {"search": "量子点显示"}).json()

    assert by_search["count"] == by_q["count"] == 1
    assert nothing["count"] == 0


def test_documented_parameters_and_paths_without_queries_pass(api, published_achievement):
    listed = api.get("/api/v1/achievements/", {"page": 1, "page_size": 5, "format": "json"})
    assert [a["title"] for a in listed.json()["results"]] == [published_achievement.title]
    detail = api.get(f"/api/v1/achievements/{published_achievement.pk}/")
    assert detail.json()["title"] == published_achievement.title


def test_a_detail_endpoint_takes_no_query_parameters(api, published_achievement):
    response = api.get(f"/api/v1/achievements/{published_achievement.pk}/", {"fields": "title"})

    assert response.status_code == 400
    assert response.json()["errors"]["allowed_parameters"] == []


def test_the_schema_documents_search_beside_q():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    params = {p["name"] for p in schema["paths"]["/api/v1/achievements/"]["get"]["parameters"]}
    assert {"q", "search"} <= params


def test_the_lookup_by_first_segment_finds_what_a_scan_of_every_path_finds():
    """Every documented path (parameters filled with an id) and method is found as a scan of the whole
    table in its order would find it, and an undocumented method of it is None."""
    import re

    from techbridge.core import strict_query

    strict_query.reset()
    strict_query.operation("/api/v1/", "GET")
    table = strict_query._table
    assert table

    def scan(path: str, method: str):
        for row in table:
            if match := row.pattern.match(path):
                return (row.methods[method], match.groups()) if method in row.methods else None
        return None

    checked = 0
    for row in table:
        path = re.sub(r"\(\[\^/\]\+\)", "12", row.pattern.pattern[1:-1]).replace("\\", "")
        for method in [*row.methods, "TRACE"]:
            found = strict_query.operation(path, method)
            expected = scan(path, method)
            assert (found and (found[0], tuple(found[1].values()))) == expected, (path, method)
            checked += 1
    assert checked > len(table)
