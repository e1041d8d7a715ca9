"""A refusal raised as ``PermissionDenied("why")`` keeps its reason in the API's JSON 403, as it does
on the 403 page (the API used to answer every such refusal with the same general sentence)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from techbridge.testing.fixtures.records import room

pytestmark = pytest.mark.django_db


def test_a_services_reason_reaches_the_api(as_user, cast, media_root):  # the room's message has a file
    api = as_user(cast.broker)  # invited into the room: a participant, not a party

    # (A broker may accept the NDA for himself since issue 20 point 10; making an offer stays refused.)
    response = api.post(
        reverse("api:deal-room-offers", args=[room(cast).pk]),
        {"deal_mode": "assignment", "price": "1000", "payment_terms": "lump_sum"},
        format="json",
    )

    assert response.status_code == 403
    reason = "Only the seller or the buyer can do that; brokers advise."  # the deals words, translated
    assert response.json() == {"message": translation.gettext(reason), "status": 403}
