"""The announcements API: the public list, objections, decisions, consent, certificate verification."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from techbridge.announcements import rules
from techbridge.announcements.models import Objection
from techbridge.testing.factories.announcements import make_announcement, make_certificate, make_objection

pytestmark = pytest.mark.django_db

REASON = "出让方并非该专利的权利人，请平台核实权属。"


def test_the_public_list_and_one_announcement(api, cast, pinned_queries):
    for i in range(3):
        make_objection(make_announcement(cast, subject=f"公示{i}"), cast.outsider)
    with pinned_queries("announcements.api.list"):
        response = api.get("/api/v1/announcements/", {"status": "open"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 3 and rows[0]["pending_objections"] == 1 and rows[0]["seller_name"] == "示范大学"
    one = api.get(f"/api/v1/announcements/{rows[0]['id']}/").json()
    assert one["status"] == "open"
    assert api.get("/api/v1/announcements/", {"status": "nonsense"}).status_code == 400


def test_objection_through_the_api(api, cast):
    ann = make_announcement(cast)
    url = f"/api/v1/announcements/{ann.pk}/objections/"
    assert api.post(url, {"reason": REASON}, format="json").status_code in (401, 403)
    api.force_authenticate(cast.outsider)
    response = api.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    again = api.post(url, {"reason": REASON}, format="json")
    assert again.status_code == 400
    assert _("You already have an objection to this deal awaiting a decision.") in str(again.json())
    api.force_authenticate(cast.buyer)
    refused = api.post(url, {"reason": REASON}, format="json")
    assert refused.status_code == 403
    assert _("The parties to the deal cannot object to it.") in str(refused.json())


def test_operators_decide_through_the_api(api, cast):
    ann = make_announcement(cast)
    obj = make_objection(ann, cast.outsider)
    url = f"/api/v1/announcement-objections/{obj.pk}/resolve/"
    api.force_authenticate(cast.reviewer)
    assert api.post(url, {"upheld": True, "resolution": "核实"}, format="json").status_code == 403
    api.force_authenticate(cast.operator)
    assert api.post(url, {"upheld": True}, format="json").status_code == 400
    response = api.post(url, {"upheld": True, "resolution": "经核实出让方不具备处分权。"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "upheld"
    assert api.get(f"/api/v1/announcements/{ann.pk}/").json()["status"] == "suspended"
    assert Objection.objects.get().resolved_by == cast.operator


def test_certificate_verification_through_the_api(api, cast):
    cert = make_certificate(make_announcement(cast), sha256="cd" * 32)
    ok = api.get(f"/api/v1/certificates/verify/{cert.grouped_code}/")
    assert ok.status_code == 200
    body = ok.json()
    assert body["valid"] is True and body["pdf_sha256"] == "cd" * 32 and body["subject"] == cert.subject
    forged = api.get(f"/api/v1/certificates/verify/{rules.new_code()}/")
    assert forged.status_code == 404
    assert _(
        "No certificate with this code was issued by the platform. The certificate may be forged."
    ) in str(forged.json())
    changed = cert.code[:-1] + ("0" if cert.code[-1] != "0" else "1")
    assert api.get(f"/api/v1/certificates/verify/{changed}/").status_code == 404
    api.force_authenticate(cast.operator)
    revoked = api.post(f"/api/v1/certificates/{cert.pk}/revoke/", {"reason": "成交撤销"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["valid"] is False
    assert api.get(f"/api/v1/certificates/verify/{cert.code}/").json()["status"] == "revoked"


def test_consent_through_the_api(api, cast, achievement, pinned_queries):
    from techbridge.testing.factories.contracts import make_registered_contract

    contract = make_registered_contract(cast, achievement, title="隔膜技术咨询合同")
    url = f"/api/v1/announcements/contracts/{contract.pk}/publication/"
    for user in (cast.researcher, cast.buyer):
        api.force_authenticate(user)
        assert api.post(url, {"consent": True, "show_amount": True}, format="json").status_code == 200
    with pinned_queries("announcements.api.deals"):
        rows = api.get("/api/v1/announcements/deals/").json()["results"]
    assert rows[0]["title"] == "隔膜技术咨询合同" and rows[0]["amount"] == "1000000.00"
    api.force_authenticate(cast.stranger)
    assert api.post(url, {"consent": True}, format="json").status_code == 404
