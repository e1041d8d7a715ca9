"""The public directory of organisations and their profiles."""

import pytest
from django.urls import reverse

from techbridge.core.workflow import ReviewStatus
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.testing.factories.achievements import AchievementFactory
from techbridge.testing.factories.demands import DemandFactory
from techbridge.testing.factories.organizations import OrganizationFactory


@pytest.fixture
def pending(db):
    return OrganizationFactory(name="待审核科技公司", status=OrgStatus.PENDING)


@pytest.mark.django_db
def test_directory_lists_approved_only(client, cast, pending):
    page = client.get(reverse("organizations:list")).content.decode()

    assert cast.university.name in page
    assert cast.enterprise.name in page
    assert pending.name not in page


@pytest.mark.django_db
def test_directory_filters_by_type_district_and_name(client, cast):
    url = reverse("organizations:list")

    by_kind = client.get(url, {"kind": OrgKind.UNIVERSITY}).context["page"].object_list
    assert [o.name for o in by_kind] == [cast.other_university.name, cast.university.name]
    by_district = client.get(url, {"district": District.JIANGNING}).context["page"].object_list
    assert [o.name for o in by_district] == [cast.enterprise.name]
    by_name = client.get(url, {"q": "技术转移"}).context["page"].object_list
    assert [o.name for o in by_name] == [cast.service.name]


@pytest.mark.django_db
def test_directory_with_bad_filter_value_explains_and_still_lists(client, cast):
    response = client.get(reverse("organizations:list"), {"kind": "spaceship", "page": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert response.context["page"].paginator.count == 6


@pytest.mark.django_db
def test_directory_shows_published_counts_and_pins_queries(client, cast, pinned_queries):
    for i in range(30):
        OrganizationFactory(name=f"企业{i:02d}")
    AchievementFactory(owner=cast.university, created_by=cast.researcher, published=True)
    AchievementFactory(owner=cast.university, created_by=cast.researcher)  # a draft does not count
    DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, published=True)

    with pinned_queries("page 1"):
        response = client.get(reverse("organizations:list"))
    client.force_login(cast.buyer)
    with pinned_queries("page 2, signed in"):
        second = client.get(reverse("organizations:list"), {"page": 2})
    assert len(second.context["page"]) == 16

    assert len(response.context["page"]) == 20
    rows = {
        o.pk: o for o in client.get(reverse("organizations:list"), {"kind": "university"}).context["page"]
    }
    assert rows[cast.university.pk].published_achievements == 1
    rows = {o.pk: o for o in client.get(reverse("organizations:list"), {"q": "示范企业"}).context["page"]}
    assert rows[cast.enterprise.pk].published_demands == 1


@pytest.mark.django_db
def test_profile_of_approved_organisation_shows_published_counts(client, cast):
    AchievementFactory(owner=cast.university, created_by=cast.researcher, published=True)
    AchievementFactory(owner=cast.university, created_by=cast.researcher, status=ReviewStatus.SUBMITTED)

    response = client.get(reverse("organizations:detail", args=[cast.university.pk]))

    assert response.status_code == 200
    assert response.context["published_achievements"] == 1
    assert response.context["published_demands"] == 0
    assert cast.university.name in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "buyer", "outsider", "official"])
def test_profile_of_pending_organisation_is_not_found_for_the_public(client, cast, pending, who):
    if who:
        client.force_login(getattr(cast, who))

    assert client.get(reverse("organizations:detail", args=[pending.pk])).status_code == 404


@pytest.mark.django_db
def test_profile_of_pending_organisation_is_visible_to_its_members_and_reviewers(client, cast):
    cast.enterprise.status = OrgStatus.PENDING
    cast.enterprise.save()

    client.force_login(cast.buyer)
    own = client.get(reverse("organizations:detail", args=[cast.enterprise.pk]))
    assert own.status_code == 200
    assert "not approved" in own.content.decode()
    client.force_login(cast.reviewer)
    assert client.get(reverse("organizations:detail", args=[cast.enterprise.pk])).status_code == 200
