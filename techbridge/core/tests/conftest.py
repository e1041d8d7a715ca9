"""Fixtures of the core tests: one organisation, one user and listings in any state, made cheaply
(no password hashing, unlike the full cast)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest

from techbridge.achievements.models import Achievement
from techbridge.core.roles import Role
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.credit_code import check_character
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.testing.factories import AchievementFactory


@pytest.fixture
def org(db) -> Organization:
    body = "12320000466007212"
    return Organization.objects.create(
        name="核心测试大学",
        kind=OrgKind.UNIVERSITY,
        credit_code=body + check_character(body),
        district=District.GULOU,
        status=OrgStatus.APPROVED,
    )


@pytest.fixture
def make_user(db, org) -> Callable:
    from techbridge.accounts.models import User

    def make(username: str = "core_reviewer", role: str = Role.REVIEWER, **extra):
        user = User(username=username, organization=org, role=role, email=f"{username}@example.cn", **extra)
        user.set_unusable_password()
        user.save()
        return user

    return make


@pytest.fixture
def actor(make_user):
    return make_user()


@pytest.fixture
def make_listing(org, actor) -> Callable[..., Achievement]:
    """An achievement put straight into ``status`` (set-up only, bypassing the state machine)."""

    def make(status: str = ReviewStatus.DRAFT, **extra) -> Achievement:
        listing = cast(Achievement, AchievementFactory(owner=org, created_by=actor, **extra))
        if status != ReviewStatus.DRAFT:
            Achievement.objects.filter(pk=listing.pk).update(status=status)
            listing.refresh_from_db()
        return listing

    return make
