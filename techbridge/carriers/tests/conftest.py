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
    """An admin of 示范企业."""
    from techbridge.core.roles import Role
    from techbridge.testing.factories.accounts import UserFactory

    return UserFactory(
        username="ent_admin", organization=cast.enterprise, role=Role.ORG_ADMIN, real_name="钱总"
    )
