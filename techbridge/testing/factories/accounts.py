"""Users: a plain member without an organisation and without a usable password unless told otherwise
(tests sign in with ``client.force_login``; pass ``password=`` to sign in through the form)."""

from __future__ import annotations

import factory

from techbridge.accounts.models import User
from techbridge.core.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    """A member; pass ``organization`` and ``role`` (``techbridge.core.roles.Role``) as the test needs."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:03d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    organization = None
    role = Role.MEMBER
    real_name = ""
    password = factory.django.Password(None)
