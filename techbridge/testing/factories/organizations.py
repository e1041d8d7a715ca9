"""Organisations: an approved enterprise unless told otherwise."""

from __future__ import annotations

import factory

from techbridge.lib.credit_code import check_character
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization


def credit_code(n: int, prefix: str = "91320100MA") -> str:
    """The ``n``-th valid unified social credit code under ``prefix`` (10 characters: 91 = enterprise,
    320100 = Nanjing)."""
    body = f"{prefix}{n:07d}"
    return body + check_character(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An approved enterprise in 鼓楼区 without a credit code; ``with_credit_code=True`` gives it a valid
    one. Pass ``kind``, ``status`` or ``district`` for anything else."""

    class Meta:
        model = Organization

    class Params:
        with_credit_code = factory.Trait(credit_code=factory.Sequence(lambda n: credit_code(n)))

    name = factory.Sequence(lambda n: f"测试科技有限公司{n:03d}")
    kind = OrgKind.ENTERPRISE
    district = District.GULOU
    status = OrgStatus.APPROVED
