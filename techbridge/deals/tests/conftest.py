"""Deals tests reuse the contracts fixtures (a published achievement of the cast's university)."""

from techbridge.contracts.tests.conftest import (  # noqa: F401
    _media_in_tmp,
    achievement,
    make_achievement,
    make_signed_contract,
)
