"""The API: disclosure → decision → docket → open licence → income → rewards → report, and bad input."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from techbridge.tto.models import Disclosure, Distribution

BASE = "/api/v1/tto"


def test_bad_shares_are_a_400_with_a_chinese_message(cast, as_user):
    response = as_user(cast.researcher).post(
        f"{BASE}/disclosures/",
        {
            "title": "T",
            "summary": "S",
            "inventors": [{"name": "甲", "share": "70"}, {"name": "乙", "share": "20"}],
        },
        format="json",
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert "份额之和必须为 100" in str(response.json())
    assert not Disclosure.objects.exists()


def test_unknown_fields_and_outsiders_are_refused(cast, as_user):
    client = as_user(cast.researcher)
    assert (
        client.post(f"{BASE}/disclosures/", {"title": "T", "status": "publish"}, format="json").status_code
        == 400
    )
    assert as_user(cast.buyer).post(f"{BASE}/disclosures/", {}, format="json").status_code == 403


def test_the_whole_path_through_the_api(cast, as_user, media_root, django_capture_on_commit_callbacks):
    researcher, office, buyer = as_user(cast.researcher), as_user(cast.univ_admin), as_user(cast.buyer)
    created = researcher.post(
        f"{BASE}/disclosures/",
        {
            "title": "一种固态电解质界面修饰方法",
            "summary": "提高循环寿命。",
            "inventors": [
                {"name": "李研究", "share": "60", "username": "researcher"},
                {"name": "周同事", "share": "40"},
            ],
            "funding": [{"funder": "国家自然科学基金", "grant_number": "52070001"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert researcher.post(f"{BASE}/disclosures/{pk}/submit/", format="json").json()["status"] == "submitted"
    assert as_user(cast.stranger).get(f"{BASE}/disclosures/{pk}/").status_code == 404
    assert as_user(cast.reviewer).get(f"{BASE}/disclosures/{pk}/").status_code == 404
    assert researcher.post(f"{BASE}/disclosures/{pk}/decide/", {}, format="json").status_code == 403
    office.post(
        f"{BASE}/disclosures/{pk}/assess/",
        {"score_novelty": 4, "score_market": 4, "score_maturity": 3, "score_protectability": 5},
        format="json",
    )
    decided = office.post(
        f"{BASE}/disclosures/{pk}/decide/", {"decision": "protect", "reasons": "新颖"}, format="json"
    )
    assert decided.json()["status"] == "protect"
    app = office.post(
        f"{BASE}/disclosures/{pk}/applications/",
        {"kind": "invention", "application_number": "CN202110123456.7", "filing_date": "2021-03-01"},
        format="json",
    ).json()
    assert app["deadlines"] == [] or all(d["due"] for d in app["deadlines"])
    assert (
        office.post(
            f"{BASE}/applications/{app['id']}/office-actions/",
            {"kind": "first", "issued_on": "2021-09-01"},
            format="json",
        ).status_code
        == 200
    )
    granted = office.post(
        f"{BASE}/applications/{app['id']}/grant/", {"grant_date": "2023-05-09"}, format="json"
    )
    assert granted.json()["status"] == "granted"
    assert office.post(f"{BASE}/disclosures/{pk}/publish/", format="json").json()["achievement"]
    licence = office.post(
        f"{BASE}/applications/{app['id']}/open-licence/",
        {"royalty_rate": "3", "entry_fee": "10000", "term_years": 5, "payment_terms": "按年支付"},
        format="json",
    )
    assert licence.status_code == 201
    lid = licence.json()["id"]
    assert [
        item["id"] for item in as_user(cast.outsider).get(f"{BASE}/open-licences/").json()["results"]
    ] == [lid]
    taken = buyer.post(f"{BASE}/open-licences/{lid}/take/", format="json")
    assert taken.status_code == 201 and taken.json()["contract_status"] == "submitted"
    assert (
        buyer.post(
            f"{BASE}/open-licences/{lid}/royalties/", {"year": 2026, "sales": "500000"}, format="json"
        ).json()["royalty"]
        == "15000.00"
    )
    assert (
        office.post(
            f"{BASE}/disclosures/{pk}/income/",
            {"kind": "transfer", "amount": "10000", "received_on": dt.date.today().isoformat()},
            format="json",
        ).status_code
        == 201
    )
    refused = office.post(
        f"{BASE}/disclosures/{pk}/distributions/",
        {"kind": "transfer", "year": dt.date.today().year, "percent": "30"},
        format="json",
    )
    assert refused.status_code == 400 and not Distribution.objects.exists()
    dist = office.post(
        f"{BASE}/disclosures/{pk}/distributions/",
        {"kind": "transfer", "year": dt.date.today().year},
        format="json",
    ).json()
    assert dist["inventors_amount"] == "7000.00"
    with django_capture_on_commit_callbacks() as queued:
        issued = office.post(f"{BASE}/distributions/{dist['id']}/issue/", format="json").json()
    # The statements are typeset in the background: their hashes are empty until the task has run.
    assert issued["status"] == "issued" and all(line["statement_sha256"] == "" for line in issued["lines"])
    for callback in queued:
        callback()
    issued = office.get(f"{BASE}/distributions/{dist['id']}/", format="json").json()
    assert all(len(line["statement_sha256"]) == 64 for line in issued["lines"])
    report = office.post(f"{BASE}/reports/", {"year": dt.date.today().year}, format="json").json()
    assert report["figures"]["rewards"] == "7000.00"
    assert (
        office.patch(f"{BASE}/reports/{report['id']}/", {"spinoffs": 1}, format="json").json()["spinoffs"]
        == 1
    )
    with django_capture_on_commit_callbacks() as queued:
        final = office.post(f"{BASE}/reports/{report['id']}/finalise/", format="json").json()
    assert final["status"] == "final" and final["pdf_sha256"] == "" and len(final["xlsx_sha256"]) == 64
    for callback in queued:
        callback()
    final = office.get(f"{BASE}/reports/{report['id']}/", format="json").json()
    assert len(final["pdf_sha256"]) == 64
