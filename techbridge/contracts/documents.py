"""The contract's PDFs (the contract text and the registration certificate) as generated documents.

Typeset once per version of what they show, in a background task (``core.documents``); the download
views serve the stored file and never typeset in the request (issue 22, point 6).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from techbridge.core import registry
from techbridge.lib.pdf import render_pdf

from .models import Contract
from .rules import rule_set_name


def pdf_context(contract: Contract) -> dict[str, Any]:
    return {
        "contract": contract,
        "signatures": {s.side: s for s in contract.signatures.select_related("user")},
        "instalments": list(contract.instalments.all()),
        "clauses": list(contract.clauses.all()),
        "rules_name": rule_set_name(contract.rules_version),
    }


def render_contract(contract: Contract) -> bytes:
    # The contract is a Chinese legal document whatever language the reader browses in.
    with translation.override("zh-hans"):
        return render_pdf("contracts/pdf/contract.html", pdf_context(contract))


def render_certificate(contract: Contract) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf("contracts/pdf/certificate.html", pdf_context(contract))


def source(contract: Contract) -> str:
    """What the PDFs show, as text: any change (new version, signature, payment plan) makes a new one."""
    head = [
        contract.number,
        contract.version,
        contract.status,
        contract.updated_at,
        contract.registration_number,
        contract.registered_at,
        contract.rules_version,
    ]
    signatures = contract.signatures.order_by("id").values_list(
        "id", "side", "user_id", "signed_at", "method", "client_address"
    )
    instalments = contract.instalments.order_by("id").values_list(
        "id", "description", "due_date", "amount", "done_at"
    )
    clauses = contract.clauses.order_by("position", "id").values_list("key", "version", "heading", "text")
    return "\n".join(str(v) for v in [*head, *signatures, *instalments, *clauses])


def register() -> None:
    registry.documents.register(
        registry.DocumentKind(
            key="contracts.contract",
            model="contracts.Contract",
            render=render_contract,
            source=source,
            filename=lambda c: f"技术合同-{c.number}.pdf",
        )
    )
    registry.documents.register(
        registry.DocumentKind(
            key="contracts.certificate",
            model="contracts.Contract",
            render=render_certificate,
            source=source,
            filename=lambda c: f"技术合同登记证明-{c.registration_number}.pdf",
        )
    )
