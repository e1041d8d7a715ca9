"""Registration rules after the January 2026 move to MIIT (工业和信息化部 技术合同认定登记管理办法/规则).

Each method names the rule it implements (DOMAIN.md, "Negotiation, contracts and registration"):

- **Classification** (认定规则 — 合同类型): a contract is one of 技术开发 (委托/合作), 技术转让 (专利权,
  专利申请权, 技术秘密, 软件著作权 …), 技术许可, 技术咨询, 技术服务 (incl. 技术培训, 技术中介). The deal
  mode agreed in negotiation decides the type; the achievement's kind decides the sub-type of
  transfers and licences. 作价投资 (contribution as equity) is recorded as a transfer.
- **Technology transaction amount** (技术交易额): the contract amount less the non-technical parts —
  equipment, materials and other costs not part of the technology (设备、原材料等非技术性款项).
- **Checks** an officer sees: both parties identified with a unified social credit code; the seller
  applies (卖方登记, the technology side); the full written contract is signed by both sides (on the
  platform, or — for a contract made outside it — on the signing date the seller declares); the
  type and sub-type agree; the certified amount is positive; the application is within the registry's
  30-day decision period (a late decision is flagged, not refused).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.contracts.choices import SUB_TYPES, ContractType, SubType

from .base import Check, Classification

if TYPE_CHECKING:
    from techbridge.contracts.models import Contract

# 认定规则 — deal mode (taxonomy.DealMode code) → contract type.
DEAL_MODE_TYPES: dict[str, str] = {
    "assignment": ContractType.TRANSFER,
    "equity": ContractType.TRANSFER,
    "license-exclusive": ContractType.LICENSE,
    "license-sole": ContractType.LICENSE,
    "license-ordinary": ContractType.LICENSE,
    "open-license": ContractType.LICENSE,
    "development": ContractType.DEVELOPMENT,
    "service": ContractType.SERVICE,
    "consulting": ContractType.CONSULTING,
}

# 认定规则 — achievement kind → sub-type of a transfer / a licence.
TRANSFER_SUB_TYPES: dict[str, str] = {
    "invention_patent": SubType.PATENT_RIGHT,
    "utility_model": SubType.PATENT_RIGHT,
    "design": SubType.PATENT_RIGHT,
    "technical_secret": SubType.TECHNICAL_SECRET,
    "software": SubType.SOFTWARE_COPYRIGHT,
}
LICENSE_SUB_TYPES: dict[str, str] = {
    "invention_patent": SubType.PATENT_LICENSE,
    "utility_model": SubType.PATENT_LICENSE,
    "design": SubType.PATENT_LICENSE,
    "technical_secret": SubType.SECRET_LICENSE,
}
DEFAULT_SUB_TYPES: dict[str, str] = {
    ContractType.DEVELOPMENT: SubType.COMMISSIONED,
    ContractType.TRANSFER: SubType.OTHER_TRANSFER,
    ContractType.LICENSE: SubType.OTHER_LICENSE,
    ContractType.CONSULTING: SubType.CONSULTING,
    ContractType.SERVICE: SubType.SERVICE,
}


class Miit2026Rules:
    """The rule set in force from January 2026."""

    version = "MIIT-2026"

    def classify(
        self, *, deal_mode: str, achievement_kind: str = "", contract_type: str = "", sub_type: str = ""
    ) -> Classification:
        """认定规则 (合同类型): an explicit type wins, else the deal mode; sub-type from the kind."""
        ctype = contract_type or DEAL_MODE_TYPES.get(deal_mode, ContractType.TRANSFER)
        if sub_type and sub_type in SUB_TYPES.get(ctype, []):
            return Classification(ctype, sub_type)
        if ctype == ContractType.TRANSFER and achievement_kind in TRANSFER_SUB_TYPES:
            return Classification(ctype, TRANSFER_SUB_TYPES[achievement_kind])
        if ctype == ContractType.LICENSE and achievement_kind in LICENSE_SUB_TYPES:
            return Classification(ctype, LICENSE_SUB_TYPES[achievement_kind])
        return Classification(ctype, DEFAULT_SUB_TYPES[ctype])

    def certify_amount(self, contract: Contract) -> Decimal:
        """技术交易额 = 合同成交额 − 非技术性款项 (equipment, materials, other non-technical parts)."""
        amount = contract.total_amount - contract.non_tech_amount
        return max(amount, Decimal("0")).quantize(Decimal("0.01"))

    def checks(self, contract: Contract) -> list[Check]:
        """The registry's checks, in the order an officer reads them."""
        sides = {s.side for s in contract.signatures.all()}
        due = contract.registration_due
        return [
            Check(
                "credit_codes",
                bool(contract.seller_credit_code and contract.buyer_credit_code),
                _("Both parties are identified by a unified social credit code."),
            ),
            Check(
                "signed",
                sides >= {"seller", "buyer"}
                or (contract.origin == "external" and contract.signed_at is not None),
                _("The full written contract is signed by both sides."),
            ),
            Check(
                "type",
                contract.sub_type in SUB_TYPES.get(contract.contract_type, []),
                _("The sub-type belongs to the contract type."),
            ),
            Check(
                "amount",
                self.certify_amount(contract) > 0,
                _(
                    "The technology transaction amount (contract amount less non-technical parts) "
                    "is positive."
                ),
            ),
            Check(
                "in_time",
                not (due and timezone.now() > due),
                _("Decided within 30 days of submission."),
                blocking=False,
            ),
        ]


RULES = Miit2026Rules()
