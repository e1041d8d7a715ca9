"""The vocabularies, readable by anyone, whole."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_industry_fields(api):
    body = api.get("/api/v1/taxonomy/fields/").json()

    assert {"code": "ic", "name": "集成电路", "name_en": "Integrated circuits"} in body


def test_anyone_reads_the_deal_modes_and_disciplines(api):
    modes = api.get("/api/v1/taxonomy/deal-modes/").json()
    disciplines = api.get("/api/v1/taxonomy/disciplines/").json()

    assert "assignment" in {m["code"] for m in modes}
    assert {"name": "材料科学与工程", "category": "工学"} in disciplines
    assert len(disciplines) == 67


def test_vocabularies_are_read_only(as_user, cast):
    response = as_user(cast.operator).post(
        "/api/v1/taxonomy/fields/", {"code": "x", "name": "x"}, format="json"
    )

    assert response.status_code == 405
