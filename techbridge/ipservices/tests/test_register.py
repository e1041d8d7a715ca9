"""The register's pages, console and API: staff enter and correct patents, the legal status moves only
through the state machine, the term is computed, and everyone reads the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.core.models import AuditEntry
from techbridge.ipservices.models import Patent
from techbridge.ipservices.services.register import expire_patents
from techbridge.testing.factories.ipservices import PatentFactory

pytestmark = pytest.mark.django_db

FORM = {
    "application_number": "ZL 2021 1 0123456.7",
    "title": "一种配电网单相接地故障选线方法",
    "kind": "invention",
    "filing_date": "2021-03-04",
    "term_adjustment_days": "0",
    "applicants": "南京智电科技有限公司；东南大学",
    "applicant_address": "211100 江苏省南京市江宁区",
    "ipc_codes": "H02H3/16；G01R31/08",
    "abstract": "选线方法。",
}


def test_staff_enter_a_patent_whose_term_and_region_are_derived(client, cast):
    client.force_login(cast.reviewer)
    response = client.post(reverse("ipservices_console:patent_new"), FORM)
    patent = Patent.objects.get()
    assert response["Location"] == reverse("ipservices:patent", args=[patent.pk])
    assert patent.application_number == "CN202110123456.7" and patent.expiry_date == dt.date(2041, 3, 3)
    assert (patent.city, patent.district, patent.first_applicant) == (
        "南京",
        "jiangning",
        "南京智电科技有限公司",
    )
    assert patent.ipc_codes == "H02H 3/16；G01R 31/08" and patent.legal_status == "pending"
    assert AuditEntry.objects.filter(action="ipservices.patent.created", object_id=str(patent.pk)).exists()
    # The same number again is refused, in any spelling.
    response = client.post(
        reverse("ipservices_console:patent_new"), {**FORM, "application_number": "CN202110123456.7"}
    )
    assert "already has a patent" in response.content.decode() and Patent.objects.count() == 1


def test_bad_patent_input_is_refused_on_the_form(client, cast):
    client.force_login(cast.operator)
    page = client.post(
        reverse("ipservices_console:patent_new"), {**FORM, "grant_date": "2020-01-01"}
    ).content.decode()
    assert "before the filing date" in page
    page = client.post(
        reverse("ipservices_console:patent_new"),
        {**FORM, "kind": "utility_model", "term_adjustment_days": "30"},
    ).content.decode()
    assert "Only invention patents" in page
    page = client.post(
        reverse("ipservices_console:patent_new"), {**FORM, "ipc_codes": "电网"}
    ).content.decode()
    assert "is not an IPC code" in page
    assert not Patent.objects.exists()


def test_the_legal_status_moves_through_the_state_machine(client, cast):
    patent = PatentFactory(legal_status="pending", grant_date=None)
    client.force_login(cast.reviewer)
    client.post(reverse("ipservices_console:patent_status", args=[patent.pk]), {"legal_status": "granted"})
    patent.refresh_from_db()
    assert patent.legal_status == "granted"
    move = AuditEntry.objects.get(action="ipservices.patent.status_changed")
    assert (move.from_state, move.to_state, move.actor) == ("pending", "granted", cast.reviewer)
    client.post(reverse("ipservices_console:patent_status", args=[patent.pk]), {"legal_status": "expired"})
    patent.refresh_from_db()
    client.post(reverse("ipservices_console:patent_status", args=[patent.pk]), {"legal_status": "pending"})
    patent.refresh_from_db()
    assert patent.legal_status == "expired"  # an expired patent does not go back
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    other = PatentFactory()
    client.post(
        reverse("ipservices_console:patent_status", args=[other.pk]),
        {"legal_status": "lapsed", "status_date": future},
    )
    other.refresh_from_db()
    assert other.legal_status == "granted"


def test_the_daily_sweep_expires_granted_patents_past_their_term():
    old = PatentFactory(kind="utility_model", filing_date=dt.date(2010, 5, 1))
    young = PatentFactory()
    assert expire_patents() == 1 and expire_patents() == 0
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.legal_status, old.status_date, young.legal_status) == (
        "expired",
        dt.date(2020, 4, 30),
        "granted",
    )


def test_everyone_reads_the_register_with_term_and_force(client):
    patent = PatentFactory(title="一种配电网故障定位方法", filing_date=dt.date(2020, 3, 5))
    PatentFactory(title="一种电池", city="苏州")
    page = client.get(reverse("ipservices:patents"), {"q": "配电网"}).content.decode()
    assert "一种配电网故障定位方法" in page and "一种电池" not in page
    page = client.get(reverse("ipservices:patent", args=[patent.pk])).content.decode()
    assert "2040-03-04" in page
    page = client.get(reverse("ipservices:patents"), {"nanjing": "on"}).content.decode()
    assert "一种电池" not in page


def test_api_reads_the_register_and_finds_a_patent_by_any_number():
    patent = PatentFactory(application_number="CN202010000001.1", publication_number="CN111000001A")
    api = APIClient()
    data = api.get(reverse("api:ip-patent-by-number"), {"number": "ZL2020100000011"}).json()
    assert data["id"] == patent.pk and data["in_force"] is True and data["remaining_days"] > 0
    assert data["expiry_date"] == "2040-03-04"
    assert api.get(reverse("api:ip-patent-by-number"), {"number": "CN000"}).status_code == 404
    listed = api.get(reverse("api:ip-patent-list"), {"status": "granted", "ipc": "H02J"}).json()
    assert [r["id"] for r in listed["results"]] == [patent.pk]
    assert api.get(reverse("api:ip-patent-list"), {"unknown": "1"}).status_code == 400
