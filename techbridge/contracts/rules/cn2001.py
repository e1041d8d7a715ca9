"""The national registration rules in force: 技术合同认定规则 (国科发政字〔2001〕253号) and 技术合同认定登记
管理办法 (国科发政字〔2000〕063号), read with the Civil Code's chapter on technology contracts (民法典 第三编
第二十章) and the Patent Law (专利法, 2020 revision, in force 2021-06-01).

Technology-market administration moved from MOST to MIIT in the 2023 State Council reform; until MIIT
publishes new registration rules, these texts are the ones registries apply. A revision would be a new
module beside this one (``CONTRACT_RULES``), never an edit of this one: contracts record the version
they were registered under. Article numbers are cited only where the text is certain; otherwise the
instrument is named. docs/deals-contracts.md lists every rule with its worked case in the tests.

- **Classification** (认定规则; 民法典 art. 843, 851, 862–863, 878): the deal mode agreed in
  negotiation decides the contract type; an unknown or blank deal mode decides nothing (the parties
  choose). Transfers and licences take their sub-type from the subject: a patent by its legal status
  (a pending application → 专利申请权转让 / licence of the application; granted → 专利权转让 / 专利实施许可),
  a technical secret, software copyright, IC layout design or plant variety by its kind. A package
  gets its members' sub-type where they all agree. The "development" deal mode is a priced
  commission (委托开发, art. 851–852) and "service" names 技术服务; a development or service contract
  without that deal mode (an explicit type) has its sub-type chosen by the parties.
- **Public domain** (民法典 art. 865; 专利法 art. 42–47): a patent that lapsed, expired or was declared
  invalid protects nothing; its transfer or licence is not a technology contract and is refused.
- **Design patents** (专利法 art. 2): a design (外观设计) is a new design of a product's shape, pattern or
  colour, not a technical solution (技术方案) as an invention or utility model is. The 认定规则 registers
  contracts whose subject is technology; a transfer or licence of a design patent alone is refused.
- **Technology transaction amount** (认定规则, 技术交易额; 民法典 art. 862 para. 3): the contract amount less
  the non-technical parts (equipment, materials, other), except the direct cost of a reasonable
  quantity of items that carry the technology (samples, prototypes: 合理数量标的物的直接成本), which the
  parties declare and the officer accepts or corrects.
- **Parties** (认定规则 art. 4 covers natural persons and other parties; 技术进出口管理条例 for parties
  abroad): either party may be a natural person (identity document, shown masked) or an organisation
  abroad (name and country or region); the credit code is asked only of organisations in China. A
  contract with a buyer abroad is flagged as a technology export, with a seller abroad as an import.
- **Checks** (管理办法): both parties identified; the full written contract signed by both sides; the
  type and sub-type decided and consistent with the subject; the subject in force and technical;
  the certified amount positive; a decision within 30 days (a late one is flagged, not refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements.choices import PUBLIC_DOMAIN_STATUSES, AchievementType, LegalStatus
from techbridge.contracts.choices import SUB_TYPES, ContractType, SubType
from techbridge.contracts.parties import party_identified

from .base import Check, Classification, Subject

if TYPE_CHECKING:
    from techbridge.contracts.models import Contract

VERSION = "CN-2001"

# Deal mode (taxonomy.DealMode code) → contract type (民法典 art. 851, 862, 878; 作价投资 is a transfer).
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

# Deal modes that name a sub-type too. "development" on the platform is a priced offer: the buyer pays
# the seller to develop, which is 委托开发 (民法典 art. 851–852; 合作开发, art. 855, has both sides invest
# and develop, and is chosen explicitly). "service" is named 技术服务, the sub-type of that name (training
# and intermediation are chosen explicitly).
DEAL_MODE_SUB_TYPES: dict[str, str] = {
    "development": SubType.COMMISSIONED,
    "service": SubType.SERVICE,
}

PATENTS = frozenset({AchievementType.INVENTION_PATENT, AchievementType.UTILITY_MODEL, AchievementType.DESIGN})

# Transfer / licence sub-type of a patent by its legal status (民法典 art. 863). A patent that left
# protection keeps the patent sub-type: the ``subject_in_force`` check refuses it, with the reason.
PATENT_TRANSFER: dict[str, str] = {
    LegalStatus.PENDING: SubType.PATENT_APPLICATION,
    LegalStatus.GRANTED: SubType.PATENT_RIGHT,
    LegalStatus.LAPSED: SubType.PATENT_RIGHT,
    LegalStatus.EXPIRED: SubType.PATENT_RIGHT,
    LegalStatus.INVALIDATED: SubType.PATENT_RIGHT,
}
PATENT_LICENSE: dict[str, str] = {
    LegalStatus.PENDING: SubType.APPLICATION_LICENSE,
    LegalStatus.GRANTED: SubType.PATENT_LICENSE,
    LegalStatus.LAPSED: SubType.PATENT_LICENSE,
    LegalStatus.EXPIRED: SubType.PATENT_LICENSE,
    LegalStatus.INVALIDATED: SubType.PATENT_LICENSE,
}
# Other subjects by kind (认定规则: software, IC layout designs and plant varieties are registered as
# technology transfers; a new biomedicine variety is a technical secret in practice, so it asks).
KIND_TRANSFER: dict[str, str] = {
    AchievementType.TECHNICAL_SECRET: SubType.TECHNICAL_SECRET,
    AchievementType.SOFTWARE: SubType.SOFTWARE_COPYRIGHT,
    AchievementType.IC_LAYOUT: SubType.OTHER_TRANSFER,
    AchievementType.PLANT_VARIETY: SubType.OTHER_TRANSFER,
}
KIND_LICENSE: dict[str, str] = {
    AchievementType.TECHNICAL_SECRET: SubType.SECRET_LICENSE,
    AchievementType.SOFTWARE: SubType.OTHER_LICENSE,
    AchievementType.IC_LAYOUT: SubType.OTHER_LICENSE,
    AchievementType.PLANT_VARIETY: SubType.OTHER_LICENSE,
}
# Sub-types that name a patent right or a patent application.
GRANTED_SUB_TYPES = frozenset({SubType.PATENT_RIGHT, SubType.PATENT_LICENSE})
APPLICATION_SUB_TYPES = frozenset({SubType.PATENT_APPLICATION, SubType.APPLICATION_LICENSE})


def _only(ctype: str) -> str:
    """The sub-type of a contract type that has exactly one (consulting), else blank."""
    subs = SUB_TYPES.get(ctype, [])
    return subs[0] if len(subs) == 1 else ""


class Cn2001Rules:
    """技术合同认定规则 (2001) with 技术合同认定登记管理办法 (2000): the national rules in force."""

    version = VERSION
    name = "技术合同认定规则（国科发政字〔2001〕253号）· 技术合同认定登记管理办法（国科发政字〔2000〕063号）"

    def subject_sub_type(self, ctype: str, subject: Subject) -> str:
        """The transfer / licence sub-type one subject implies; blank when it cannot say."""
        if subject.kind in PATENTS:
            table = PATENT_TRANSFER if ctype == ContractType.TRANSFER else PATENT_LICENSE
            return table.get(subject.legal_status, "")
        table = KIND_TRANSFER if ctype == ContractType.TRANSFER else KIND_LICENSE
        return table.get(subject.kind, "")

    def classify(
        self,
        *,
        deal_mode: str,
        subjects: Sequence[Subject] = (),
        contract_type: str = "",
        sub_type: str = "",
    ) -> Classification:
        """认定规则 (合同类型): an explicit type wins, else the deal mode; never a silent default.

        The sub-type: an explicit one that belongs to the type; else, for a transfer or a licence, the
        one every subject implies; else the type's only sub-type; else blank with the question.
        """
        ctype = contract_type if contract_type in ContractType.values else DEAL_MODE_TYPES.get(deal_mode, "")
        if not ctype:
            return Classification(
                "", "", _("The deal mode does not say which kind of technology contract this is: choose it.")
            )
        if sub_type and sub_type in SUB_TYPES[ctype]:
            return Classification(ctype, sub_type)
        if ctype in (ContractType.TRANSFER, ContractType.LICENSE):
            if not subjects:
                return Classification(ctype, "", _("Choose what is transferred or licensed."))
            kinds = {s.kind for s in subjects}
            if AchievementType.DESIGN in kinds and len(kinds) > 1:
                return Classification(
                    ctype,
                    "",
                    _(
                        "The package mixes design patents, which are not technology (专利法 art. 2), with "
                        "technology: take the designs out, or count their price as a non-technical part, "
                        "and choose the sub-type."
                    ),
                )
            found = {self.subject_sub_type(ctype, s) for s in subjects}
            if "" in found:
                if any(s.kind in PATENTS and not s.legal_status for s in subjects):
                    return Classification(
                        ctype,
                        "",
                        _(
                            "State the legal status of the patent (application pending or granted): it "
                            "decides between a patent right and a patent application."
                        ),
                    )
                return Classification(ctype, "", _("Choose what is transferred or licensed."))
            if len(found) > 1:
                return Classification(
                    ctype,
                    "",
                    _("The achievements of the package are of different kinds: choose the sub-type."),
                )
            return Classification(ctype, found.pop())
        named = DEAL_MODE_SUB_TYPES.get(deal_mode, "")
        if named in SUB_TYPES[ctype]:
            return Classification(ctype, named)
        only = _only(ctype)
        if only:
            return Classification(ctype, only)
        return Classification(ctype, "", _("Choose the sub-type of the contract."))

    def buyer_identified(self, contract: Contract) -> bool:
        """认定规则 art. 4 covers natural persons and foreign parties as well as organisations."""
        return party_identified(contract, "buyer")

    def parties_identified(self, contract: Contract) -> bool:
        """认定规则 art. 4: each party is identified — a credit code is asked only of an organisation in
        China; a natural person (an individual inventor selling his patent, a buyer) by an identity
        document, an organisation abroad by its name and country or region."""
        return party_identified(contract, "seller") and party_identified(contract, "buyer")

    def accepted_carrier(self, contract: Contract) -> Decimal:
        """The carrier cost the officer accepted, or (before registration) the one the parties declared."""
        if contract.carrier_amount_accepted is not None:
            return contract.carrier_amount_accepted
        return contract.carrier_amount

    def certify_amount(self, contract: Contract, *, carrier_amount: Decimal | None = None) -> Decimal:
        """技术交易额 = 合同成交额 − (设备 + 原材料 + 其他非技术性款项 − 合理数量标的物的直接成本).

        ``carrier_amount`` is the officer's figure for the direct cost of a reasonable quantity of
        items carrying the technology (default: the accepted or declared one); it is never more than
        the equipment and materials it is part of.
        """
        carrier = self.accepted_carrier(contract) if carrier_amount is None else carrier_amount
        carrier = min(max(carrier, Decimal("0")), contract.equipment_amount + contract.materials_amount)
        amount = contract.total_amount - (contract.non_tech_amount - carrier)
        return max(amount, Decimal("0")).quantize(Decimal("0.01"))

    def checks(self, contract: Contract) -> list[Check]:
        """The registry's checks, in the order an officer reads them."""
        sides = {s.side for s in contract.signatures.all()} if contract.pk else set()
        due = contract.registration_due
        ctype, stype = contract.contract_type, contract.sub_type
        kind, status = contract.subject_kind, contract.subject_legal_status
        rights = ctype in (ContractType.TRANSFER, ContractType.LICENSE)
        # A patent sub-type names a patent even when the subject's kind was not declared.
        patent = kind in PATENTS or stype in GRANTED_SUB_TYPES | APPLICATION_SUB_TYPES
        checks = [
            Check(
                "parties",
                self.parties_identified(contract),
                _(
                    "Both parties are identified: an organisation in China by its unified social credit "
                    "code, a natural person by an identity document, an organisation abroad by its name "
                    "and country or region."
                ),
            ),
            Check(
                "signed",
                sides >= {"seller", "buyer"}
                or (contract.origin == "external" and contract.signed_at is not None),
                _("The full written contract is signed by both sides."),
            ),
            Check(
                "type",
                bool(ctype) and stype in SUB_TYPES.get(ctype, []),
                _("The contract type and a sub-type of it are decided."),
            ),
        ]
        if rights and patent:
            checks.append(
                Check(
                    "legal_status",
                    bool(status),
                    _("The legal status of the patent is stated (checked against the CNIPA register)."),
                )
            )
            if status:
                checks.append(
                    Check(
                        "subject_in_force",
                        status not in PUBLIC_DOMAIN_STATUSES,
                        _(
                            "The patent is pending or in force: a patent that lapsed, expired or was "
                            "declared invalid is in the public domain and cannot be transferred or "
                            "licensed (民法典 art. 865)."
                        ),
                    )
                )
                consistent = not (
                    (status == LegalStatus.PENDING and stype in GRANTED_SUB_TYPES)
                    or (status == LegalStatus.GRANTED and stype in APPLICATION_SUB_TYPES)
                )
                checks.append(
                    Check(
                        "sub_type_status",
                        consistent,
                        _(
                            "The sub-type matches the legal status: a pending application is transferred "
                            "as a patent application right, a granted patent as a patent right."
                        ),
                    )
                )
            checks.append(
                Check(
                    "technical_subject",
                    kind != AchievementType.DESIGN,
                    _(
                        "The subject is technology: a design patent protects a design, not a technical "
                        "solution (专利法 art. 2), so its transfer or licence is not registered as a "
                        "technology contract."
                    ),
                )
            )
        checks += [
            Check(
                "carrier",
                contract.carrier_amount <= contract.equipment_amount + contract.materials_amount,
                _(
                    "The declared cost of items carrying the technology is part of the equipment and "
                    "materials."
                ),
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
                "export",
                contract.technology_trade != "export",
                _(
                    "Not a technology export: a contract with a buyer abroad is also recorded with the "
                    "commerce department (技术进出口管理条例: 技术出口合同登记)."
                ),
                blocking=False,
            ),
            Check(
                "import",
                contract.technology_trade != "import",
                _(
                    "Not a technology import: a contract with a seller abroad is also recorded with the "
                    "commerce department (技术进出口管理条例: 技术进口合同登记)."
                ),
                blocking=False,
            ),
            Check(
                "in_time",
                not (due and timezone.now() > due),
                _("Decided within 30 days of submission."),
                blocking=False,
            ),
        ]
        return checks


RULES = Cn2001Rules()

# Rule-set codes recorded on contracts → what they implement. ``MIIT-2026`` is the code the platform
# wrote before issue 18: the same national texts, under a name that claimed a revision not yet issued.
VERSIONS: dict[str, str] = {
    VERSION: Cn2001Rules.name,
    "MIIT-2026": Cn2001Rules.name,
}
