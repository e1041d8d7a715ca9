"""Who corrects classifications (``mining.permissions``): refused before the form is read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.mining.models import ListingClassification
from techbridge.testing.fixtures.records import draft_achievement, published_achievement

pytestmark = pytest.mark.django_db


def test_only_staff_correct_a_classification(client, cast):
    achievement = published_achievement(cast)
    url = reverse("mining:classification_correct", args=["achievement", achievement.pk])
    client.force_login(cast.researcher)

    response = client.post(url, {"target": "field", "label": "nev"})

    assert response.status_code == 403
    assert not ListingClassification.objects.exists()


def test_a_listing_the_reviewer_may_see_is_corrected_and_one_of_no_kind_is_not(client, cast):
    client.force_login(cast.reviewer)
    draft = draft_achievement(cast)

    assert client.post(reverse("mining:classification_correct", args=["patent", draft.pk])).status_code == 404
    response = client.post(
        reverse("mining:classification_correct", args=["achievement", draft.pk]),
        {"target": "field", "label": "nev"},
    )
    assert response.status_code == 302
    assert ListingClassification.objects.get().corrected_label == "nev"
