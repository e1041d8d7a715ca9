"""Who may open the contract pages and endpoints (see techbridge.testing.access).

The records (seller: 示范大学 — researcher, univ_admin; buyer: 示范企业 — buyer): a draft, a signed
contract with one schedule item, one submitted for registration and one registered.
"""

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    draft_contract,
    pk_of,
    registered_contract,
    signed_contract,
    signed_contract_item,
    submitted_contract,
)

a_draft = pk_of(draft_contract)
a_signed = pk_of(signed_contract)
a_submitted = pk_of(submitted_contract)
a_registered = pk_of(registered_contract)


def a_draft_clause(cast):
    """The confidentiality clause (every type has one) of the shared draft."""
    return {"pk": draft_contract(cast).pk, "key": "confidentiality"}


# A contract exists for its two parties; registry officers see it once submitted.
PARTIES = outcomes(anonymous=LOGIN, default=HIDE, researcher=OK, univ_admin=OK, buyer=OK)
REGISTRY = outcomes(reviewer=OK, operator=OK)
SUBMITTED_READERS = outcomes(PARTIES, REGISTRY)
# Members of organisations enter the contracts they signed outside the platform.
MEMBERS = outcomes(researcher=OK, univ_admin=OK, buyer=OK, broker=OK, stranger=OK)
IMPORTERS = outcomes(anonymous=LOGIN, **MEMBERS, **REGISTRY, official=DENY, outsider=DENY)
CONSOLE = outcomes(anonymous=LOGIN, default=DENY, **REGISTRY)
STATISTICS = outcomes(anonymous=LOGIN, default=DENY, **REGISTRY, official=OK)

ROUTES = [
    Route("contracts:list", anonymous=LOGIN, default=OK),
    Route("contracts:stats", default=OK, note="aggregates only"),
    # Registry officers transcribe paper applications: they name the seller (a natural person too).
    Route("contracts:external", anonymous=LOGIN, default=DENY, **MEMBERS, **REGISTRY),
    Route("contracts:import", **IMPORTERS),
    Route("contracts:import_template", **IMPORTERS),
    Route("contracts:detail", kwargs=a_draft, **PARTIES),
    Route("contracts:detail", kwargs=a_submitted, **SUBMITTED_READERS),
    Route("contracts:edit", kwargs=a_draft, **PARTIES),
    Route("contracts:edit", kwargs=a_submitted, **outcomes(SUBMITTED_READERS, reviewer=DENY, operator=DENY)),
    # Signing: a page that asks to confirm and for the password again (an empty form is answered on it).
    Route("contracts:sign", kwargs=a_draft, **PARTIES),
    Route("contracts:sign", kwargs=a_draft, method="POST", **PARTIES),
    # Either party rewrites a clause of a draft (an empty text is refused on the page).
    Route("contracts:clause", kwargs=a_draft_clause, **PARTIES),
    Route("contracts:clause", kwargs=a_draft_clause, method="POST", **PARTIES),
    Route("contracts:cancel", kwargs=a_draft, method="POST", **PARTIES),
    # The seller side applies for registration.
    Route("contracts:submit", kwargs=a_signed, method="POST", **outcomes(PARTIES, buyer=DENY)),
    Route("contracts:amend", kwargs=a_signed, method="POST", **PARTIES),
    # Either party declares a signed contract performed (履行完毕).
    Route("contracts:performed", kwargs=a_signed, method="POST", **PARTIES),
    Route("contracts:payment", kwargs=a_signed, method="POST", **PARTIES),
    Route("contracts:milestone", kwargs=signed_contract_item, method="POST", **PARTIES),
    Route("contracts:pdf", kwargs=a_draft, **PARTIES),
    Route("contracts:certificate", kwargs=a_registered, **SUBMITTED_READERS),
    # The registry (reviewers and operators, never for a contract of their own organisation).
    Route("contracts_console:queue", **CONSOLE),
    Route("contracts_console:review", kwargs=a_submitted, **CONSOLE),
    Route("contracts_console:review", kwargs=a_submitted, method="POST", **CONSOLE),
    Route("contracts_console:stats", **STATISTICS),
    Route("contracts_console:stats_xlsx", **STATISTICS),
]

# ---- API
ROUTES += [
    Route("api:contract-list", anonymous=LOGIN, default=OK),
    Route(
        "api:contract-list",
        method="POST",
        **outcomes(IMPORTERS, dict.fromkeys((*MEMBERS, *REGISTRY), BAD)),
        note="entering an outside contract: an empty body is bad input",
    ),
    Route("api:contract-statistics", default=OK),
    Route("api:contract-detail", kwargs=a_draft, **PARTIES),
    Route("api:contract-detail", kwargs=a_submitted, **SUBMITTED_READERS),
    Route("api:contract-detail", kwargs=a_draft, method="PATCH", **PARTIES),
    Route(
        "api:contract-sign",
        kwargs=a_draft,
        method="POST",
        **outcomes(PARTIES, researcher=BAD, univ_admin=BAD, buyer=BAD),
        note="signing needs the password again",
    ),
    Route("api:contract-clauses", kwargs=a_draft, **PARTIES),
    Route(
        "api:contract-clause",
        kwargs=a_draft_clause,
        method="PATCH",
        **outcomes(PARTIES, researcher=BAD, univ_admin=BAD, buyer=BAD),
        note="an empty body is bad input",
    ),
    Route("api:contract-submit", kwargs=a_signed, method="POST", **outcomes(PARTIES, buyer=DENY)),
    Route("api:contract-amend", kwargs=a_signed, method="POST", **PARTIES),
    Route("api:contract-performed", kwargs=a_signed, method="POST", **PARTIES),
    Route(
        "api:contract-payments",
        kwargs=a_signed,
        method="POST",
        **outcomes(PARTIES, researcher=BAD, univ_admin=BAD, buyer=BAD),
    ),
    Route(
        "api:contract-register",
        kwargs=a_submitted,
        method="POST",
        **outcomes(SUBMITTED_READERS, researcher=DENY, univ_admin=DENY, buyer=DENY),
    ),
    Route(
        "api:contract-reject",
        kwargs=a_submitted,
        method="POST",
        **{
            **SUBMITTED_READERS,
            "researcher": DENY,
            "univ_admin": DENY,
            "buyer": DENY,
            "reviewer": BAD,
            "operator": BAD,
        },
        note="a refusal needs a reason",
    ),
]
