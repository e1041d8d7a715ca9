"""``load_demo_announcements``: the demo's sold lot and registered contract get their notices (tagged
demo data), the registered deal its certificate and its place on the 成交公告 list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techbridge.announcements.management.commands.load_demo_announcements import (
    CLOSED_SESSION,
    REGISTERED_REF,
)
from techbridge.announcements.models import Announcement, Certificate

pytestmark = pytest.mark.django_db


def test_the_demo_gets_notices_a_certificate_and_an_announced_contract(
    client, cast, achievement, run_on_commit
):
    from techbridge.auctions import services as auctions
    from techbridge.auctions.models import Lot
    from techbridge.deals import services as deals
    from techbridge.deals.models import Offer
    from techbridge.testing.factories.auctions import bid, make_lot, make_session, paid
    from techbridge.testing.factories.contracts import make_registered_contract

    session = make_session(cast, title=CLOSED_SESSION)
    lot = make_lot(cast, session)
    paid(cast.buyer, session, cast)
    bid(cast.buyer, lot, "101000")
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    auctions.close_lot(lot.pk, handoff=False)
    room = deals.open_room(actor=cast.buyer, achievement=achievement, origin_ref=REGISTERED_REF)
    offer = deals.make_offer(
        room,
        actor=cast.buyer,
        data={"deal_mode": "assignment", "price": "380000", "payment_terms": "lump_sum"},
    )
    deals.accept_offer(offer, actor=cast.researcher)
    contract = make_registered_contract(cast, achievement, title="演示登记合同")
    Offer.objects.filter(pk=offer.pk).update(contract=contract)
    with run_on_commit(execute=True):
        call_command("load_demo_announcements", stdout=io.StringIO())
    assert Announcement.objects.filter(is_demo=True).count() == 2
    cert = Certificate.objects.get()
    assert cert.is_demo and cert.announcement.origin_ref == f"offer:{offer.pk}" and len(cert.sha256) == 64
    assert "演示登记合同" in client.get(reverse("announcements:deals")).content.decode()
    # Running again adds nothing.
    with run_on_commit(execute=True):
        call_command("load_demo_announcements", stdout=io.StringIO())
    assert Certificate.objects.count() == 1 and Announcement.objects.count() == 2
