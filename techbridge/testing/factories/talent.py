"""Talent (人才): the one expert pool used by every panel (valuation, institution evaluation, fund
reviews), members of an organisation and listed technology managers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory

from techbridge.accounts.models import User
from techbridge.core.roles import Role
from techbridge.talent.choices import ManagerStatus
from techbridge.talent.models import Expert, TechnologyManager
from techbridge.taxonomy.models import IndustryField

from .accounts import UserFactory


class ExpertFactory(factory.django.DjangoModelFactory):
    """An active 研究员 in the expert pool; ``fields`` takes industry-field codes (``("ic",)``). Pass
    ``user`` (or ``user__organization``) to place the expert; a new user without an organisation
    otherwise."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, real_name=factory.Sequence(lambda n: f"专家{n}"))
    title = "研究员"

    @factory.post_generation
    def fields(obj: Any, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.fields.set(IndustryField.objects.filter(code__in=extracted))


def make_manager(
    user: Any, *, level: str = "senior", fields: tuple[str, ...] = ("nev",), listed: bool = True, **kw: Any
) -> TechnologyManager:
    """A technology manager of ``user``, listed (approved) unless ``listed=False``, in ``fields``."""
    m = TechnologyManager.objects.create(
        user=user, level=level, status=ManagerStatus.APPROVED if listed else ManagerStatus.SUBMITTED, **kw
    )
    m.fields.set(IndustryField.objects.filter(code__in=fields))
    return m


def member_of(org: Any, username: str, **extra: Any) -> User:
    """A member of ``org`` who cannot sign in with a password."""
    user = User(
        username=username, organization=org, role=Role.MEMBER, email=f"{username}@example.cn", **extra
    )
    user.set_unusable_password()
    user.save()
    return user
