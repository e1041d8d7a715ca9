"""Registrations made before payment references existed each get their own, valid reference."""

from __future__ import annotations

import pytest
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from techbridge.auctions.references import find_references

BEFORE = ("auctions", "0009_text_length_limits")
AFTER = ("auctions", "0010_add_deposit_payments")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_registrations_get_unique_valid_references():
    executor = MigrationExecutor(connection)
    targets = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "auctions"] + [BEFORE]
    executor.migrate(targets)
    old = executor.loader.project_state(targets).apps
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(old.get_models())):
            cursor.execute(statement)
    Organization = old.get_model("organizations", "Organization")
    User = old.get_model("accounts", "User")
    Session = old.get_model("auctions", "AuctionSession")
    Registration = old.get_model("auctions", "Registration")
    org = Organization.objects.create(name="迁移企业", kind="enterprise", status="approved")
    session = Session.objects.create(title="迁移专场", starts_at=timezone.now(), deposit_amount=5000)
    for n in range(5):
        user = User.objects.create(username=f"migrated_bidder_{n}", organization=org, role="member")
        Registration.objects.create(session=session, user=user, organization=org, number=n + 1)

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    codes = list(new.get_model("auctions", "Registration").objects.values_list("payment_code", flat=True))
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(find_references(code)[0].valid for code in codes)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
