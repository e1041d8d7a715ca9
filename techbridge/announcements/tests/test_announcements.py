"""Deal announcements: the notice opens on a sold lot and an agreed offer, objections hold the period,
an upheld one suspends the notice, the certificate after the period, its verification page, consent to
announce a registered contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.announcements import rules, services
from techbridge.announcements.choices import AnnouncementStatus, ObjectionStatus
from techbridge.announcements.models import Announcement, Certificate, Objection
from techbridge.core.audit import history
from techbridge.core.models import Notification
from techbridge.testing.factories.announcements import make_announcement, make_certificate, make_objection

pytestmark = pytest.mark.django_db

REASON = "出让方并非该专利的权利人，请平台核实权属。"


def _past_period(ann):
    return ann.period_ends_at + dt.timedelta(minutes=1)


# ---- opening ------------------------------------------------------------------------------------------


def test_the_notice_opens_when_an_auction_lot_is_sold(cast, run_on_commit):
    from techbridge.auctions import services as auctions
    from techbridge.auctions.models import Lot
    from techbridge.testing.factories.auctions import bid, make_lot, make_session, paid

    session = make_session(cast)
    lot = make_lot(cast, session, title="一种固态电解质专利")
    paid(cast.buyer, session, cast)
    bid(cast.buyer, lot, "101000")
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    with run_on_commit(execute=True):
        assert auctions.close_lot(lot.pk)
    ann = Announcement.objects.get(origin_ref=f"lot:{lot.pk}")
    assert ann.status == AnnouncementStatus.OPEN and ann.origin == "auction"
    assert (ann.subject, ann.seller_name, ann.buyer_name) == (
        "一种固态电解质专利",
        "示范大学",
        "示范企业有限公司",
    )
    assert ann.price == Decimal("101000")
    assert ann.period_ends_at > timezone.now()
    assert [e.action for e in history(ann)] == ["announcements.announcement.opened"]
    assert Notification.objects.filter(recipient=cast.researcher, kind="announcements.opened").exists()
    # The public list shows it under 公示中.
    html = pytest.importorskip("django.test").Client().get(reverse("announcements:list")).content.decode()
    assert "一种固态电解质专利" in html and "101,000.00" in html


def test_the_notice_opens_when_an_offer_is_accepted(cast, achievement, run_on_commit):
    from techbridge.deals import services as deals

    room = deals.open_room(actor=cast.buyer, achievement=achievement)
    offer = deals.make_offer(
        room,
        actor=cast.buyer,
        data={"deal_mode": "assignment", "price": "800000", "payment_terms": "lump_sum", "exclusivity": ""},
    )
    with run_on_commit(execute=True):
        deals.accept_offer(offer, actor=cast.researcher)
    ann = Announcement.objects.get(origin_ref=f"offer:{offer.pk}")
    assert ann.origin == "listing" and ann.price == Decimal("800000")
    assert ann.buyer_id == cast.enterprise.pk and ann.seller_id == cast.university.pk
    # Opening twice (a retried hook) changes nothing.
    assert services.open_for_offer(offer.pk) == ann
    assert Announcement.objects.count() == 1


def test_the_period_counts_working_days():
    friday = dt.date(2026, 12, 4)
    assert rules.add_working_days(friday, 5) == dt.date(2026, 12, 11)
    assert rules.add_working_days(friday, 5, holidays=[dt.date(2026, 12, 7)]) == dt.date(2026, 12, 14)
    concluded = timezone.make_aware(dt.datetime(2026, 12, 4, 15, 0))
    end = timezone.localtime(services.period_end(concluded))
    assert (end.date(), end.hour) == (dt.date(2026, 12, 12), 0)


# ---- objections ---------------------------------------------------------------------------------------


def test_an_outsider_objects_through_the_page_and_the_parties_are_told(client, cast):
    ann = make_announcement(cast)
    client.force_login(cast.outsider)
    url = reverse("announcements:object", args=[ann.pk])
    evidence = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    response = client.post(url, {"reason": REASON, "evidence": evidence}, follow=True)
    assert _("Your objection was filed. The parties were told; the platform will decide on it.") in (
        response.content.decode()
    )
    obj = Objection.objects.get()
    assert obj.status == ObjectionStatus.PENDING and obj.evidence_name == "证据.pdf"
    assert Notification.objects.filter(recipient=cast.buyer, kind="announcements.objection").exists()
    # A fake PDF and a too short reason are refused with the reason.
    response = client.post(
        url, {"reason": "太短", "evidence": SimpleUploadedFile("x.pdf", b"MZ\x90")}, follow=True
    )
    assert _("Give the reason in at least %(n)s characters.") % {"n": 10} in response.content.decode()


def test_a_party_cannot_object(client, cast):
    ann = make_announcement(cast)
    client.force_login(cast.researcher)
    response = client.post(reverse("announcements:object", args=[ann.pk]), {"reason": REASON})
    assert response.status_code == 403
    assert _("The parties to the deal cannot object to it.") in response.content.decode()
    assert not Objection.objects.exists()


def test_a_pending_objection_holds_the_period_and_a_dismissal_releases_it(cast, run_on_commit):
    ann = make_announcement(cast)
    obj = services.file_objection(ann, actor=cast.outsider, reason=REASON)
    later = _past_period(ann)
    assert services.end_due_announcements(now=later) == {"ended": 0, "waiting": 1}
    ann.refresh_from_db()
    assert ann.status == AnnouncementStatus.OPEN and not Certificate.objects.exists()
    services.resolve_objection(
        obj, actor=cast.operator, upheld=False, resolution="权属证明已核实，异议不成立。"
    )
    with run_on_commit(execute=True):
        assert services.end_due_announcements(now=later) == {"ended": 1, "waiting": 0}
    ann.refresh_from_db()
    assert ann.status == AnnouncementStatus.ENDED
    assert Certificate.objects.filter(announcement=ann).exists()


def test_an_upheld_objection_suspends_the_notice_and_flags_the_deal(client, cast):
    ann = make_announcement(cast)
    obj = services.file_objection(ann, actor=cast.stranger, reason=REASON)
    client.force_login(cast.operator)
    response = client.post(
        reverse("announcements_console:objection", args=[obj.pk]),
        {"decision": "uphold", "resolution": "经核实出让方不具备处分权。"},
        follow=True,
    )
    assert _("The decision was recorded and the parties were told.") in response.content.decode()
    ann.refresh_from_db()
    assert ann.status == AnnouncementStatus.SUSPENDED and ann.flagged
    assert services.end_due_announcements(now=_past_period(ann)) == {"ended": 0, "waiting": 0}
    assert not Certificate.objects.exists()
    page = client.get(reverse("announcements:detail", args=[ann.pk])).content.decode()
    assert (
        _("An objection to this deal was upheld: the notice is suspended and the deal is flagged for review.")
        in page
    )
    assert Notification.objects.filter(recipient=cast.stranger, kind="announcements.decision").exists()


def test_only_operators_decide(client, cast):
    ann = make_announcement(cast)
    obj = make_objection(ann, cast.outsider)
    client.force_login(cast.reviewer)
    response = client.post(
        reverse("announcements_console:objection", args=[obj.pk]), {"decision": "uphold", "resolution": "x"}
    )
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.status == ObjectionStatus.PENDING


# ---- the certificate -----------------------------------------------------------------------------------


def test_the_certificate_is_issued_after_the_period_with_its_pdf_hash(
    client, cast, monkeypatch, run_on_commit
):
    ann = make_announcement(cast, subject="一种高性能隔膜制备工艺")
    assert services.end_due_announcements() == {"ended": 0, "waiting": 0}  # the period is still running
    later = _past_period(ann)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with run_on_commit(execute=True):
        call_command("end_announcements", stdout=open("/dev/null", "w"))
    cert = Certificate.objects.get(announcement=ann)
    assert rules.check_ok(cert.code) and len(cert.code) == 20
    assert len(cert.sha256) == 64
    assert [e.action for e in history(cert)] == ["announcements.certificate.issued"]
    from techbridge.core.generated import GeneratedDocument
    from techbridge.lib.pdf import pdf_text

    doc = GeneratedDocument.objects.get(kind="announcements.certificate", object_id=cert.pk)
    assert doc.sha256 == cert.sha256
    text = pdf_text(doc.file.read()).replace(" ", "")
    assert "交易鉴证书" in text and cert.grouped_code.replace(" ", "") in text
    assert f"/certificates/verify/{cert.code}/" in text.replace("\n", "")


def test_the_verification_page_confirms_a_real_certificate(client, cast):
    cert = make_certificate(make_announcement(cast), sha256="ab" * 32)
    response = client.get(reverse("certificates:verify"), {"code": cert.grouped_code.lower()}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert _("Genuine: this certificate was issued by the platform and is valid.") in html
    assert cert.subject in html and "ab" * 32 in html and "1,010,000.00" in html


def test_the_verification_page_rejects_a_forged_code_and_a_one_character_change(client, cast):
    cert = make_certificate(make_announcement(cast))
    forged = rules.new_code()
    response = client.get(reverse("certificates:verify-code", args=[forged]))
    assert response.status_code == 404
    assert _("No certificate with this code was issued by the platform. The certificate may be forged.") in (
        response.content.decode()
    )
    for i in range(len(cert.code)):  # every single changed character is caught by the check character
        other = rules.ALPHABET[(rules.ALPHABET.index(cert.code[i]) + 7) % 32]
        changed = cert.code[:i] + other + cert.code[i + 1 :]
        assert not rules.check_ok(changed)
    changed = cert.code[:5] + rules.ALPHABET[(rules.ALPHABET.index(cert.code[5]) + 1) % 32] + cert.code[6:]
    response = client.get(reverse("certificates:verify-code", args=[changed]))
    assert response.status_code == 404
    assert (
        _(
            "The code's check character does not match: it was copied wrongly or altered. "
            "This is not a valid certificate."
        )
        in response.content.decode()
    )
    assert (
        _("Genuine: this certificate was issued by the platform and is valid.")
        not in response.content.decode()
    )


def test_wrong_guesses_are_rate_limited(client, cast, settings):
    settings.CERTIFICATE_VERIFY_MAX_FAILURES = 3
    cert = make_certificate(make_announcement(cast))
    for _i in range(3):
        assert client.get(reverse("certificates:verify-code", args=[rules.new_code()])).status_code == 404
    response = client.get(reverse("certificates:verify-code", args=[cert.code]))
    assert response.status_code == 429
    assert _("Too many wrong codes from your address. Try again in an hour.") in response.content.decode()


def test_an_operator_revokes_and_the_page_says_so(client, cast):
    cert = make_certificate(make_announcement(cast))
    client.force_login(cast.operator)
    response = client.post(
        reverse("announcements_console:revoke", args=[cert.pk]),
        {"reason": "成交被法院判决撤销。"},
        follow=True,
    )
    assert _("The certificate was revoked; its verification page says so.") in response.content.decode()
    html = client.get(reverse("certificates:verify-code", args=[cert.code])).content.decode()
    assert _("This certificate was issued by the platform but has been revoked.") in html
    assert "成交被法院判决撤销。" in html
    assert [e.action for e in history(cert)] == ["announcements.certificate.revoked"]


# ---- announcing registered contracts ---------------------------------------------------------------------


def test_a_registered_contract_is_announced_when_both_parties_agree(client, cast, achievement):
    from techbridge.testing.factories.contracts import make_registered_contract

    contract = make_registered_contract(cast, achievement, title="隔膜技术咨询合同")
    url = reverse("announcements:consent", args=[contract.pk])
    client.force_login(cast.researcher)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert _("Agree to announce") in page
    client.post(url, {"consent": "on", "show_amount": "on"})
    deals = reverse("announcements:deals")
    assert "隔膜技术咨询合同" not in client.get(deals).content.decode()
    client.force_login(cast.buyer)
    response = client.post(url, {"consent": "on"}, follow=True)
    assert _("Your consent to announce this deal was recorded.") in response.content.decode()
    html = client.get(deals).content.decode()
    assert "隔膜技术咨询合同" in html and _("Not disclosed") in html  # the buyer did not allow the amount
    client.post(url, {"consent": ""})
    assert "隔膜技术咨询合同" not in client.get(deals).content.decode()


def test_consent_is_refused_to_non_parties_and_for_unregistered_contracts(client, cast, achievement):
    from techbridge.testing.factories.contracts import make_signed_contract

    contract = make_signed_contract(cast, achievement)
    client.force_login(cast.researcher)
    response = client.post(
        reverse("announcements:consent", args=[contract.pk]), {"consent": "on"}, follow=True
    )
    assert _("Only registered contracts can be announced.") in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.set_publication_consent(contract, actor=cast.stranger, consent=True)


def test_list_pages_pin_their_queries(client, cast, achievement, pinned_queries):
    from techbridge.announcements.models import Publication
    from techbridge.testing.factories.contracts import make_registered_contract

    for i in range(3):
        ann = make_announcement(cast, subject=f"公示{i}")
        make_objection(ann, cast.outsider)
        contract = make_registered_contract(cast, achievement, title=f"公告合同{i}")
        now = timezone.now()
        Publication.objects.create(
            contract=contract, seller_consent_at=now, buyer_consent_at=now, published_at=now
        )
    with pinned_queries("announcements.list"):
        assert client.get(reverse("announcements:list")).status_code == 200
    with pinned_queries("announcements.deals"):
        html = client.get(reverse("announcements:deals")).content.decode()
    assert all(f"公告合同{i}" in html for i in range(3))
