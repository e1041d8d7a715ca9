"""Fixtures of the carriers tests: the zones and formula versions the migrations load (restored when a
transactional test emptied the database), a park under the High-tech Zone, an enterprise admin."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from techbridge.organizations.models import Zone


@pytest.fixture(autouse=True)
def reference_rows(db) -> None:
    for module in (
        "techbridge.organizations.migrations.0004_load_zones",
        "techbridge.carriers.migrations.0002_default_formulas",
    ):
        import_module(module).load(apps, None)


@pytest.fixture
def zones(reference_rows) -> dict[str, Zone]:
    jiangbei = Zone.objects.get(code="jiangbei")
    hitech = Zone.objects.get(code="hitech")
    park, _created = Zone.objects.get_or_create(
        code="xuzhuang", defaults={"name": "徐庄软件园", "parent": hitech, "order": 3}
    )
    return {"jiangbei": jiangbei, "hitech": hitech, "park": park}


@pytest.fixture
def enterprise_admin(cast) -> Any:
    from techbridge.accounts.models import User
    from techbridge.core.roles import Role

    user = User(username="ent_admin", organization=cast.enterprise, role=Role.ORG_ADMIN, real_name="钱总")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def api_client() -> Any:
    from rest_framework.test import APIClient

    return APIClient()
