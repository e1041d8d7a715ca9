"""Who bids (``auctions.permissions``): the bid panel, the pages and the API say the same."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.auctions.models import Registration
from techbridge.testing.fixtures.records import auction_session, lot

pytestmark = pytest.mark.django_db


def test_an_official_is_told_why_there_is_no_bid_form(client, cast):
    """Officials and users without an organisation were offered "register as bidder", then refused."""
    the_lot = lot(cast)
    client.force_login(cast.official)

    page = client.get(reverse("auctions:lot", args=[the_lot.pk])).content.decode()
    register = client.post(reverse("auctions:session_register", args=[auction_session(cast).pk]))
    bid = client.post(reverse("auctions:lot_bid", args=[the_lot.pk]), {"amount": "200000"})

    assert _("Platform staff and officials may not bid.") in page
    assert reverse("auctions:session_register", args=[the_lot.session_id]) not in page
    assert (register.status_code, bid.status_code) == (403, 403)
    assert not Registration.objects.exists()


def test_the_api_refuses_a_non_bidder_with_a_code(as_user, cast):
    response = as_user(cast.outsider).post(
        reverse("api:auction-lot-bids", args=[lot(cast).pk]), {"amount": "200000"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_bidder"
