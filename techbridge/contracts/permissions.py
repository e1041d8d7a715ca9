"""Who may see and do what with technology contracts: pages, the API, services and templates ask these.

- **The parties** (members of the seller's and the buyer's organisations) read their contracts, edit a
  draft, sign, amend, cancel a draft, record payments and milestones; the **seller side** applies for
  registration (技术合同认定登记).
- **Registry officers** (platform reviewers and operators) read what was submitted to them (and
  what they registered) and decide on it — never on a contract their own organisation is party to.
- Department officials read the statistics, not single contracts; the public statistics page shows
  aggregates only. To anyone else a contract does not exist (404).
- Contracts signed outside the platform are entered by the seller side (one at a time or by import);
  registry officers may import them for any seller.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.permissions import deny, hide, is_organization_member, signed_in
from techbridge.core.roles import is_console_user, is_staff_reviewer

from .choices import ContractStatus, Side
from .models import Contract

REGISTRY = gettext_lazy("Only registry officers (platform reviewers and operators) can open this page.")
STATISTICS = gettext_lazy("Only platform staff and department officials can open the contract statistics.")
ENTER = gettext_lazy(
    "Only members of an organisation (or registry officers) enter contracts signed outside the platform."
)
IMPORT = gettext_lazy("Only members of an organisation or registry officers import contracts.")


def side_of(user: Any, contract: Contract) -> str:
    """``"seller"``/``"buyer"`` when ``user`` belongs to that party's organisation, else ``""``."""
    org_id = getattr(user, "organization_id", None) if signed_in(user) else None
    if org_id is None:
        return ""
    if org_id == contract.seller_id:
        return Side.SELLER
    if org_id == contract.buyer_id:
        return Side.BUYER
    return ""


def can_view(user: Any, contract: Contract) -> bool:
    """Parties read their contracts; registry officers read what was submitted to them (and later)."""
    if side_of(user, contract):
        return True
    # A contract whose seller is no platform organisation (an individual inventor, a seller abroad) was
    # entered by a registry officer from the paper application: the officers keep it from the start.
    return is_staff_reviewer(user) and (
        contract.submitted_at is not None
        or contract.status == ContractStatus.REGISTERED
        or contract.seller_id is None
    )


def contract_for(user: Any, pk: Any) -> Contract:
    """The contract ``pk`` if ``user`` may read it, else ``Http404`` (its existence is not confirmed)."""
    contract = (
        Contract.objects.select_related("seller", "buyer", "achievement", "field", "previous")
        .filter(pk=pk)
        .first()
    )
    if contract is None or not can_view(user, contract):
        hide()
    return contract


def check_party(user: Any, contract: Contract, message: Any = None) -> str:
    """The user's side; registry officers and other readers are refused (they do not act for a party)."""
    side = side_of(user, contract)
    if not side:
        deny(message or _("Only the parties can do that."))
    return side


def can_edit(user: Any, contract: Contract) -> bool:
    """Either party edits a draft; nobody edits a signed contract."""
    return contract.status == ContractStatus.DRAFT and bool(side_of(user, contract))


def check_edit(user: Any, contract: Contract) -> None:
    check_party(user, contract, _("Only the parties can edit this contract."))
    if contract.status != ContractStatus.DRAFT:
        deny(_("A signed contract cannot be edited; create an amendment instead."))


def in_force(contract: Contract) -> bool:
    """Signed (or later) and not superseded: payments, milestones and amendments apply to it."""
    return contract.is_frozen and contract.status != ContractStatus.SUPERSEDED


def can_sign(user: Any, contract: Contract, signed_sides: Any = ()) -> bool:
    """A party signs a draft once for its side (``signed_sides``: the sides that already signed)."""
    side = side_of(user, contract)
    return bool(side) and contract.status == ContractStatus.DRAFT and side not in signed_sides


def can_cancel(user: Any, contract: Contract) -> bool:
    return contract.status == ContractStatus.DRAFT and bool(side_of(user, contract))


def can_amend(user: Any, contract: Contract) -> bool:
    return in_force(contract) and bool(side_of(user, contract))


def can_record_payment(user: Any, contract: Contract) -> bool:
    """Either party records payments and reached milestones of a contract in force."""
    return in_force(contract) and bool(side_of(user, contract))


def applies_for(user: Any, contract: Contract) -> bool:
    """The seller side applies for registration (管理办法, 按地域一次登记); for a seller that is no platform
    organisation (an individual inventor at the registry's counter) a registry officer records the
    application."""
    if contract.seller_id is None:
        return is_staff_reviewer(user)
    return side_of(user, contract) == Side.SELLER


def can_submit(user: Any, contract: Contract) -> bool:
    """The seller side applies for registration of a signed (or refused and corrected) contract."""
    return applies_for(user, contract) and contract.status in (
        ContractStatus.SIGNED,
        ContractStatus.REJECTED,
    )


def check_seller(user: Any, contract: Contract) -> None:
    if not applies_for(user, contract):
        deny(_("Only the seller side applies for registration."))


def can_see_identity(user: Any, contract: Contract) -> bool:
    """Who reads a natural person's identity document number whole: the registry officer deciding on
    the contract (it is checked against the paper application), or recording the application of a
    seller with no platform organisation. Everyone else, the parties included, sees it masked."""
    if not can_register(user, contract):
        return False
    if contract.status == ContractStatus.SUBMITTED:
        return True
    return contract.seller_id is None and contract.status in (ContractStatus.SIGNED, ContractStatus.REJECTED)


def can_mark_performed(user: Any, contract: Contract) -> bool:
    """Either party closes a signed contract once it is performed (not while the registry decides)."""
    return bool(side_of(user, contract)) and contract.can_move_to(ContractStatus.PERFORMED)


def is_registry_officer(user: Any) -> bool:
    return is_staff_reviewer(user)


def can_register(user: Any, contract: Contract) -> bool:
    """Registry officers (reviewers, operators) — never for a contract their own organisation is party to."""
    return is_registry_officer(user) and not side_of(user, contract)


def check_register(user: Any, contract: Contract) -> None:
    if not can_register(user, contract):
        deny(_("Only a registry officer who is not a party can decide on this contract."))


def can_see_statistics(user: Any) -> bool:
    """The console's statistics and their Excel export: platform staff and department officials."""
    return is_console_user(user)


def can_enter_external(user: Any) -> bool:
    """Members of an organisation enter the contracts it signed outside the platform, as the seller;
    registry officers transcribe a paper application for any seller (a natural person included)."""
    return is_organization_member(user) or is_registry_officer(user)


def can_import(user: Any) -> bool:
    """Members of an organisation import their own outside contracts; registry officers any seller's."""
    return is_organization_member(user) or is_registry_officer(user)


def can_enter_for(user: Any, seller: Any) -> bool:
    """Whether ``user`` may enter an outside contract with ``seller`` as the seller (per contract)."""
    return is_registry_officer(user) or (
        is_organization_member(user) and user.organization_id == getattr(seller, "pk", None)
    )
