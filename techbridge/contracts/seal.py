"""Tamper evidence for contracts (issue 20 point 6): signatures and registrations chained by SM3.

Each signature hashes the signed text (``terms_digest``: parties, amounts, terms and schedule) with who
signed for which side and when, chained to the previous signature; the registration hashes what the
registry certified (number, time, officer, type, sub-type, technology amount, carrier cost accepted,
the rules) after the last signature (or, for a contract signed outside the platform, after the signed
text and its signing date). ``verify_contract`` recomputes everything: editing the signed text, a
signature or the registration directly in the database shows. What the officer decides at registration
(type, sub-type, the subject's legal status, the carrier cost) is sealed by the registration, not by
the signatures.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from typing import Any

from techbridge.lib.sm3 import sm3_hex

ALGORITHM = "SM3"
# The signed text: every field the parties agree on, in a fixed order.
TERMS_FIELDS = (
    "number",
    "version",
    "title",
    "seller_party_kind",
    "seller_name",
    "seller_credit_code",
    "seller_id_type",
    "seller_id_number",
    "seller_country",
    "buyer_party_kind",
    "buyer_name",
    "buyer_credit_code",
    "buyer_id_type",
    "buyer_id_number",
    "buyer_country",
    "deal_mode",
    "subject_kind",
    "total_amount",
    "equipment_amount",
    "materials_amount",
    "other_non_tech_amount",
    "carrier_amount",
    "payment_terms",
    "royalty_rate",
    "duration_months",
    "territory",
    "exclusivity",
    "terms",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("|", "\\|")


def _join(parts: list[Any]) -> str:
    return "|".join(_text(p) for p in parts)


def terms_digest(contract: Any) -> str:
    """SM3 of the signed text: the terms, the parties and the schedule (without reached milestones)."""
    parts: list[Any] = [ALGORITHM, "terms", contract.pk, contract.seller_id, contract.buyer_id]
    parts += [getattr(contract, name) for name in TERMS_FIELDS]
    for item in contract.instalments.order_by("due_date", "id"):
        parts += [item.description, item.due_date, item.amount]
    # The clauses (issue 22 point 9) and the chosen forum; a contract without clauses (made before they
    # existed) hashes as it always did, so its seals stay verifiable.
    clauses = list(contract.clauses.order_by("position", "id").values_list("key", "heading", "text"))
    if clauses:
        parts += ["clauses", contract.dispute_method, contract.dispute_venue]
        for key, heading, text in clauses:
            parts += [key, heading, text]
    return sm3_hex(_join(parts))


def hash_signature(signature: Any, *, digest: str) -> str:
    parts = [
        ALGORITHM,
        "sign",
        signature.contract_id,
        signature.side,
        signature.organization_id,
        signature.user_id,
        signature.signed_at,
        digest,
        signature.prev_hash,
    ]
    # The evidence of re-authentication (how the signer proved it was them, from which address) is
    # sealed too; signatures made before it was recorded hash as they always did.
    if signature.method:
        parts += ["evidence", signature.method, signature.client_address]
    return sm3_hex(_join(parts))


def evidence(contract: Any) -> list[str]:
    """One line per signature: side, signer, time, method and client address (for ``verify_contract``)."""
    lines = []
    for sig in contract.signatures.select_related("user").order_by("signed_at", "id"):
        lines.append(
            f"{sig.side}: {sig.user.get_username()} at {_text(sig.signed_at)}, "
            f"method {sig.method or 'not recorded'}, address {sig.client_address or 'not recorded'}"
        )
    return lines


def registration_hash(contract: Any, *, after: str, **override: Any) -> str:
    """SM3 of the registration record chained after ``after`` (the last signature's hash, or for an
    outside contract the signed text's digest); ``override``: values about to be written."""
    names = (
        "registration_number",
        "registered_at",
        "registered_by_id",
        "technology_amount",
        "contract_type",
        "sub_type",
        "subject_legal_status",
        "carrier_amount_accepted",
        "rules_version",
        "signed_at",
    )
    values = {name: override.get(name, getattr(contract, name)) for name in names}
    return sm3_hex(_join([ALGORITHM, "register", contract.pk, *values.values(), after]))


def chain_head(contract: Any, digest: str) -> str:
    """What a registration is chained after: the last signature's hash, or the signed text's digest."""
    last = contract.signatures.order_by("signed_at", "id").last()
    return last.hash if last is not None and last.hash else digest


def verify_contract(contract: Any) -> list[str]:
    """Every problem found in the contract's seals (empty when intact)."""
    problems: list[str] = []
    digest = terms_digest(contract)
    prev = ""
    signatures = list(contract.signatures.order_by("signed_at", "id"))
    for sig in signatures:
        if not sig.hash:
            problems.append(f"signature of the {sig.side} side is not sealed")
            continue
        if sig.prev_hash != prev:
            problems.append(f"signature of the {sig.side} side: previous-hash link broken")
        if hash_signature(sig, digest=digest) != sig.hash:
            problems.append(
                f"signature of the {sig.side} side does not match the signed text or its signer and time "
                "(text or signature altered after signing)"
            )
        prev = sig.hash
    if contract.registered_at is not None or contract.registration_hash:
        if not contract.registration_hash:
            problems.append("registration record missing: the contract is registered but not sealed")
        elif registration_hash(contract, after=prev or digest) != contract.registration_hash:
            problems.append(
                "registration record does not match the contract (number, time, officer, type, amount "
                "or the signed text altered after registration)"
            )
    return problems
