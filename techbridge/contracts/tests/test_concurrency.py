"""Two sides signing at the same moment: the contract still ends up signed exactly once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from techbridge.contracts import services
from techbridge.contracts.models import Contract
from techbridge.testing.cast import make_cast


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_signatures_sign_the_contract(monkeypatch):
    if connection.vendor == "sqlite":
        # The test database is SQLite's shared-cache memory database, which refuses a second writer
        # ("table is locked") instead of waiting; file databases wait (IMMEDIATE transactions).
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    cast = make_cast()
    contract = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="并发签署",
        amount=Decimal("10"),
        deal_mode="consulting",  # a decided type and sub-type: the draft can be signed
    )
    # Widen the window between a side's signature and the count of signatures, so that without the
    # row lock both signers would count only their own and the contract would stay a draft.
    import time

    from techbridge.core import audit

    real_record = audit.record

    def slow_record(obj, action, **kw):
        if action == "sign":
            time.sleep(0.5)
        return real_record(obj, action, **kw)

    monkeypatch.setattr(services.audit, "record", slow_record)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sign(user) -> None:
        try:
            barrier.wait()
            services.sign_contract(Contract.objects.get(pk=contract.pk), actor=user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (cast.buyer, cast.researcher)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    contract.refresh_from_db()
    assert contract.status == "signed" and contract.signatures.count() == 2
