"""Issue 20 point 3: offers are bounded the same way through the API, the room's form and the service.

Found: the API took 100,000 instalments (the form stopped at 120), which made a 9.9 MB contract and
a PDF that ran for 11 minutes. Now one validation (``deals.services.make_offer``, limits in
``contracts.choices``) refuses what is out of bounds with the same Chinese message, the contract's
schedule and duration are bounded, and typesetting a PDF has a size and a time limit.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from techbridge.contracts import services as contract_services
from techbridge.contracts.choices import MAX_DURATION_MONTHS, MAX_SCHEDULE_ITEMS
from techbridge.deals import services
from techbridge.deals.models import Offer
from techbridge.lib import pdf
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(cast, achievement):
    return services.open_room(actor=cast.buyer, achievement=achievement)


INSTALMENTS = {"deal_mode": "assignment", "price": "1000000", "payment_terms": "instalments"}


def test_the_api_refuses_100000_instalments_as_the_form_does(client, as_user, cast, room):
    offers = Offer.objects.count()
    api = as_user(cast.buyer)
    url = f"/api/v1/deals/rooms/{room.pk}/offers/"

    resp = api.post(url, {**INSTALMENTS, "instalments": 100_000}, format="json")
    assert resp.status_code == 400
    assert "分期不能超过 120 期" in resp.content.decode()
    resp = api.post(url, {**INSTALMENTS, "instalments": 12, "duration_months": 10**6}, format="json")
    assert resp.status_code == 400 and "期限不能超过 1200 个月" in resp.content.decode()

    client.force_login(cast.buyer)
    page = client.post(
        reverse("deals:offer", args=[room.pk]), {**INSTALMENTS, "instalments": "100000"}, follow=True
    ).content.decode()
    assert "分期不能超过 120 期" in page
    assert Offer.objects.count() == offers

    # The service is the one validation: called directly it refuses the same.
    with pytest.raises(ValidationError) as exc:
        services.make_offer(room, actor=cast.buyer, data={**INSTALMENTS, "instalments": 121})
    assert "instalments" in exc.value.message_dict
    offer = services.make_offer(room, actor=cast.buyer, data={**INSTALMENTS, "instalments": 120})
    assert offer.instalments == MAX_SCHEDULE_ITEMS


def test_a_contract_schedule_and_duration_are_bounded(client, as_user, cast):
    draft = make_draft_contract(cast)
    items = [{"description": f"第{i}期", "amount": "1"} for i in range(MAX_SCHEDULE_ITEMS + 1)]
    with pytest.raises(ValidationError) as exc:
        contract_services.set_schedule(draft, actor=cast.buyer, items=items)
    assert "schedule" in exc.value.message_dict
    contract_services.set_schedule(draft, actor=cast.buyer, items=items[:MAX_SCHEDULE_ITEMS])
    assert draft.instalments.count() == MAX_SCHEDULE_ITEMS

    api = as_user(cast.buyer)
    resp = api.patch(
        f"/api/v1/contracts/{draft.pk}/", {"duration_months": MAX_DURATION_MONTHS + 1}, format="json"
    )
    assert resp.status_code == 400 and "1200" in resp.content.decode()


def test_typesetting_has_a_size_limit(settings):
    settings.PDF_MAX_HTML_BYTES = 10_000
    with pytest.raises(pdf.PdfRefused) as exc:
        pdf.html_to_pdf("<p>" + "技" * 20_000 + "</p>")
    assert "太大" in str(exc.value)


def test_typesetting_has_a_time_limit_and_the_page_says_so(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.PDF_TIMEOUT_SECONDS = 0.001
    with pytest.raises(pdf.PdfRefused) as exc:
        pdf.html_to_pdf("<p>技术合同</p>" * 2000)
    assert "超时" in str(exc.value)

    draft = make_draft_contract(cast)
    client.force_login(cast.buyer)
    client.cookies["django_language"] = "zh-hans"
    url = reverse("contracts:pdf", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the background task typesets, and gives up
        client.get(url)
    resp = client.get(url)
    assert resp.status_code == 200 and "重试" in resp.content.decode()
    assert "超时" in resp.content.decode() and resp.headers["Content-Type"].startswith("text/html")


def test_a_normal_contract_still_typesets(cast):
    draft = make_draft_contract(cast, amount="50000")
    assert draft.total_amount == Decimal("50000.00")
    content = pdf.render_pdf("contracts/pdf/contract.html", {"contract": draft, "signatures": {}})
    assert content.startswith(b"%PDF") and "技术合同" in pdf.pdf_text(content)
