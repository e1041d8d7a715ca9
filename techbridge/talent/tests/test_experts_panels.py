"""One expert pool: conflict-free, load-balanced, deterministic panels for every app."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.talent import panels, services
from techbridge.talent.models import Expert, ExpertConflict
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories.talent import member_of


@pytest.fixture
def pool(cast):
    ic = IndustryField.objects.get(code="ic")
    nev = IndustryField.objects.get(code="nev")
    made = {}
    for key, fields in (("a", [ic]), ("b", [ic, nev]), ("c", [ic]), ("d", [nev])):
        org = Organization.objects.create(
            name=f"研究院{key}", kind=OrgKind.INSTITUTE, status=OrgStatus.APPROVED
        )
        user = member_of(org, f"pool_{key}", real_name=f"专家{key}")
        made[key] = services.save_expert(actor=cast.operator, user=user, fields=fields, title="研究员")
    return made


def test_panels_are_conflict_free_and_deterministic(cast, pool):
    ic, nev = IndustryField.objects.get(code="ic"), IndustryField.objects.get(code="nev")
    order = [e.pk for e in panels.eligible_experts(fields=[ic, nev])]
    assert order[0] == pool["b"].pk  # two shared fields first
    assert order == [e.pk for e in panels.eligible_experts(fields=[ic.pk, nev.pk])]  # same pool, same panel
    own = pool["a"].user.organization
    assert pool["a"].pk not in [
        e.pk for e in panels.eligible_experts(fields=[ic], exclude_organizations=[own])
    ]
    services.save_expert(
        actor=cast.operator,
        user=pool["c"].user,
        fields=[ic],
        conflicts=[(cast.university, "兼职教授")],
        expert=pool["c"],
    )
    assert ExpertConflict.objects.get().reason == "兼职教授"
    drawn = panels.eligible_experts(fields=[ic], exclude_organizations=[cast.university.pk])
    assert pool["c"].pk not in [e.pk for e in drawn] and pool["a"].pk in [e.pk for e in drawn]
    assert pool["a"].pk not in [
        e.pk for e in panels.eligible_experts(fields=[ic], exclude_users=[pool["a"].user])
    ]
    with pytest.raises(ValidationError) as exc:
        panels.draw_panel(size=5, fields=[ic])
    assert "3" in str(exc.value)


def test_registered_workloads_balance_every_apps_panels(cast, pool):
    ic = IndustryField.objects.get(code="ic")
    panels.register_workload(
        "test-fund-reviews", lambda ids: {pool["a"].pk: 3} if pool["a"].pk in ids else {}
    )
    try:
        order = [e.pk for e in panels.eligible_experts(fields=[ic])]
        assert order.index(pool["a"].pk) > order.index(pool["c"].pk)
        assert panels.workload([pool["a"].pk])[pool["a"].pk] == 3
    finally:
        panels._workloads.pop("test-fund-reviews")


def test_inactive_experts_and_accounts_are_not_drawn(cast, pool):
    ic = IndustryField.objects.get(code="ic")
    Expert.objects.filter(pk=pool["a"].pk).update(active=False)
    type(pool["c"].user).objects.filter(pk=pool["c"].user_id).update(is_active=False)
    assert {e.pk for e in panels.eligible_experts(fields=[ic])} == {pool["b"].pk}


def test_the_pool_is_for_operators(cast):
    with pytest.raises(PermissionDenied):
        services.save_expert(
            actor=cast.reviewer, user=cast.broker, fields=[IndustryField.objects.get(code="ic")]
        )
    with pytest.raises(ValidationError):
        services.save_expert(actor=cast.operator, user=cast.broker, fields=[])


def test_console_and_api(client, cast, pool):
    client.force_login(cast.operator)
    page = client.get(reverse("talent_console:experts")).content.decode()
    assert "专家a" in page
    response = client.post(
        reverse("talent_console:expert", args=[pool["a"].pk]),
        {"expertise": ["ic"], "title": "教授", "conflicts": f"{cast.enterprise.name} | 顾问", "active": "on"},
    )
    assert response.status_code == 302
    assert list(pool["a"].declared_conflicts.values_list("organization__name", flat=True)) == [
        cast.enterprise.name
    ]
    bad = client.post(
        reverse("talent_console:expert", args=[pool["a"].pk]),
        {"expertise": ["ic"], "conflicts": "不存在的单位 | 顾问", "active": "on"},
    )
    assert bad.status_code == 200 and "不存在的单位" in bad.content.decode()
    api = APIClient()
    api.force_authenticate(cast.operator)
    rows = api.get("/api/v1/talent/experts/eligible/?fields=ic,nev").json()
    assert rows[0]["shared_fields"] == 2 and rows[0]["id"] == pool["b"].pk
    assert api.get("/api/v1/talent/experts/eligible/").status_code == 400
    api.force_authenticate(cast.reviewer)
    assert api.get("/api/v1/talent/experts/").status_code == 403
