"""The clauses of a contract's text per 四技 type, after the structure of the national model texts.

科学技术部《技术合同示范文本》 (技术开发（委托）合同、技术转让（专利权 / 技术秘密）合同、专利实施许可合同、
技术咨询合同、技术服务合同) gives each type its articles: subject, plan or scope, delivery, price and
payment, confidentiality, acceptance criteria and methods, ownership of results and of later improvements,
liability for breach, dispute resolution. The texts below follow that structure in plain legal Chinese
(with the Civil Code's default rules where the parties say nothing: 民法典 第八百五十九条、第八百六十一条、
第八百七十五条、第八百八十一条、第八百八十五条). They are the starting text of a draft: the parties edit any
clause before signing (``services.edit_clause``), and every version is kept.

The contract is a Chinese legal document whatever language the reader browses in, so these texts are
Chinese data, not translatable interface strings. Placeholders are filled from the contract when the
clause is made: the parties (the buyer is 甲方, the technology side 乙方, as in every model text), the
subject, the amounts (in figures and in capitals) and the payment terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .choices import ContractType, Exclusivity, PaymentTerms

# Bounds shared by the model, the page's form and the API.
CLAUSE_TEXT_MAX = 4000
CLAUSE_HEADING_MAX = 60
VENUE_MAX = 100


class DisputeMethod:
    """How a dispute is settled once negotiation fails: the parties choose one (仲裁或者诉讼，二者择一)."""

    ARBITRATION = "arbitration"
    COURT = "court"
    VALUES = (ARBITRATION, COURT)
    DEFAULT_VENUE = {ARBITRATION: "南京仲裁委员会", COURT: "甲方住所地有管辖权的人民法院"}


@dataclass(frozen=True)
class ClauseModel:
    key: str
    heading: str
    text: str


ROLES: dict[str, tuple[str, str]] = {
    # (甲方 = the buyer, 乙方 = the technology side)
    ContractType.DEVELOPMENT: ("委托方", "研究开发方"),
    ContractType.TRANSFER: ("受让方", "让与方"),
    ContractType.LICENSE: ("被许可方", "许可方"),
    ContractType.CONSULTING: ("委托方", "受托方"),
    ContractType.SERVICE: ("委托方", "受托方"),
}

DOCUMENT_TITLE: dict[str, str] = {
    ContractType.DEVELOPMENT: "技术开发合同",
    ContractType.TRANSFER: "技术转让合同",
    ContractType.LICENSE: "技术许可合同",
    ContractType.CONSULTING: "技术咨询合同",
    ContractType.SERVICE: "技术服务合同",
}

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four(n: int) -> str:
    """A group of at most four digits in capitals (zeros collapsed; a leading zero kept by the caller)."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def yuan_in_words(amount: Decimal) -> str:
    """人民币大写: ``Decimal("1050000.5")`` → ``壹佰零伍万元伍角``; whole amounts end in 整."""
    cents = int((abs(Decimal(amount)) * 100).quantize(Decimal("1")))
    whole, jiao, fen = cents // 100, (cents // 10) % 10, cents % 10
    if whole == 0 and jiao == 0 and fen == 0:
        return "零元整"
    words = ""
    groups = []
    n = whole
    while n:
        groups.append(n % 10000)
        n //= 10000
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or group < 1000):
            words += "零"
        words += _four(group) + _BIG_UNITS[index]
        pending_zero = False
    if words:
        words += "元"
    if jiao == 0 and fen == 0:
        return words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    return words


def _figures(amount: Decimal) -> str:
    return f"{Decimal(amount):,.2f}"


PAYMENT_WORDS: dict[str, str] = {
    PaymentTerms.LUMP_SUM: "甲方应于本合同生效之日起三十日内一次性支付全部价款",
    PaymentTerms.INSTALMENTS: (
        "甲方按本合同所附付款计划分期支付，每期款项在约定日期或者对应里程碑经验收通过后十五日内支付"
    ),
    PaymentTerms.ROYALTY: (
        "甲方按实施本合同技术所得的销售额提成支付，提成比例为{royalty}，"
        "每年度结束后六十日内结算并支付上一年度的提成"
    ),
    PaymentTerms.ENTRY_FEE_ROYALTY: (
        "甲方于本合同生效之日起三十日内支付入门费，其余按实施本合同技术所得的销售额提成支付，"
        "提成比例为{royalty}，每年度结算一次"
    ),
    PaymentTerms.EQUITY: (
        "以本合同技术作价入股，作价金额、股权比例及变更登记的期限由双方另行签订的出资协议约定"
    ),
}

EXCLUSIVITY_WORDS: dict[str, str] = {
    Exclusivity.EXCLUSIVE: "独占实施许可（在约定范围内，乙方不得再许可任何第三方实施，乙方自己亦不得实施）",
    Exclusivity.SOLE: "排他实施许可（在约定范围内，乙方不得再许可任何第三方实施，但乙方自己可以实施）",
    Exclusivity.NON_EXCLUSIVE: "普通实施许可（在约定范围内，乙方可以自己实施并可以再许可第三方实施）",
}


def placeholders(contract: Any) -> dict[str, str]:
    """The values a clause's text is filled with, from the contract as it stands."""
    buyer_role, seller_role = ROLES.get(contract.contract_type, ("委托方", "受托方"))
    subject = contract.title
    achievement = getattr(contract, "achievement", None) if contract.achievement_id else None
    if achievement is not None:
        subject = achievement.title
    royalty = f"{contract.royalty_rate.normalize():f}%" if contract.royalty_rate is not None else "＿＿%"
    months = contract.duration_months
    return {
        "buyer": contract.buyer_name or "＿＿＿＿",
        "seller": contract.seller_name or "＿＿＿＿",
        "buyer_role": buyer_role,
        "seller_role": seller_role,
        "title": contract.title,
        "subject": subject,
        "amount": _figures(contract.total_amount),
        "amount_words": yuan_in_words(contract.total_amount),
        "payment": PAYMENT_WORDS.get(contract.payment_terms, PAYMENT_WORDS[PaymentTerms.LUMP_SUM]).format(
            royalty=royalty
        ),
        "duration": f"自本合同生效之日起{months}个月"
        if months
        else "自本合同生效之日起至双方义务履行完毕之日止",
        "territory": contract.territory or "中华人民共和国境内",
        "exclusivity": EXCLUSIVITY_WORDS.get(
            contract.exclusivity, EXCLUSIVITY_WORDS[Exclusivity.NON_EXCLUSIVE]
        ),
        "document": DOCUMENT_TITLE.get(contract.contract_type, "技术合同"),
    }


def dispute_text(method: str, venue: str = "") -> str:
    """争议解决: negotiation first, then the forum the parties chose (arbitration or a court, one of them)."""
    method = method if method in DisputeMethod.VALUES else DisputeMethod.ARBITRATION
    venue = (venue or "").strip() or DisputeMethod.DEFAULT_VENUE[method]
    first = (
        "双方因履行本合同发生的争议，应当本着诚实信用原则协商解决；也可以请求技术合同管理机构或者技术市场"
        "主管部门组织调解。协商或者调解不成的，"
    )
    if method == DisputeMethod.COURT:
        return first + f"任何一方均可依法向{venue}提起诉讼。双方确认不选择仲裁方式解决本合同争议。"
    return (
        first
        + f"任何一方均可将争议提交{venue}，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。仲裁裁决是终局的，"
        "对双方均有约束力。双方确认不向人民法院起诉。"
    )


# ---- the clauses every type shares -------------------------------------------------------------

PARTIES = ClauseModel(
    "parties",
    "合同当事人与订立依据",
    "{buyer_role}（甲方）：{buyer}\n{seller_role}（乙方）：{seller}\n"
    "本合同甲方与乙方依据《中华人民共和国民法典》第三编第二十章“技术合同”的规定，就“{subject}”项目，"
    "经平等协商，在真实、充分地表达各自意愿的基础上，订立本{document}，共同遵守。",
)

CONFIDENTIALITY = ClauseModel(
    "confidentiality",
    "保密",
    "一、保密内容：双方在订立和履行本合同过程中知悉的对方技术信息（包括技术方案、工艺参数、配方、图纸、"
    "源代码、实验数据、未公开的专利申请等）和经营信息（包括合同价款、客户信息、商业计划等），以及本合同"
    "本身的内容。\n"
    "二、保密义务：未经对方书面同意，任何一方不得向第三方披露、交付或者许可第三方使用上述信息；只能为"
    "履行本合同的目的在本方确需知悉的人员范围内使用，并使其承担同等的保密义务。\n"
    "三、保密期限：自本合同签订之日起至上述信息依法公开之日止；合同变更、解除或者终止的，本条继续有效。\n"
    "四、泄密责任：一方违反本条约定的，应当立即停止披露或者使用，并赔偿对方因此遭受的损失。",
)

LIABILITY = ClauseModel(
    "liability",
    "违约责任",
    "一、任何一方不履行本合同义务或者履行不符合约定的，应当继续履行、采取补救措施，并赔偿对方因此遭受的"
    "损失，包括合理的调查、公证、鉴定、律师费用。\n"
    "二、甲方逾期支付价款或者报酬的，每逾期一日，按逾期金额的万分之五向乙方支付违约金；逾期超过六十日的，"
    "乙方有权解除本合同，并要求甲方支付已完成工作部分的价款。\n"
    "三、乙方逾期交付成果、技术资料或者提供服务的，每逾期一日，按合同总金额的万分之五向甲方支付违约金；"
    "逾期超过六十日，或者交付的成果经两次验收仍不合格的，甲方有权解除本合同，要求乙方返还已支付的款项。\n"
    "四、违约金不足以弥补损失的，违约方还应当赔偿不足部分；违约金总额不超过合同总金额的百分之二十，"
    "双方另有书面约定的除外。\n"
    "五、因不可抗力不能履行本合同的，根据不可抗力的影响部分或者全部免除责任，但受影响的一方应当及时通知"
    "对方，并在合理期限内提供证明。",
)

DISPUTES_KEY = "disputes"


def _disputes() -> ClauseModel:
    return ClauseModel(DISPUTES_KEY, "争议解决", dispute_text(DisputeMethod.ARBITRATION))


OTHER = ClauseModel(
    "other",
    "合同的生效及其他",
    "一、本合同自双方在本平台完成签署之日起生效（法律、行政法规规定须办理批准、登记等手续才生效的，"
    "依照其规定）。双方在本平台的签署经重新验证身份并记录签署时间和来源，与书面签字盖章具有同等效力。\n"
    "二、本合同签订后，由乙方向技术合同登记机构申请技术合同认定登记；甲方应予以协助。\n"
    "三、本合同未尽事宜，由双方协商一致后以书面形式补充；补充协议与本合同具有同等效力。\n"
    "四、本合同所附的付款计划、技术资料清单、验收标准等附件是本合同的组成部分。",
)


# ---- per type ---------------------------------------------------------------------------------

DEVELOPMENT = [
    PARTIES,
    ClauseModel(
        "objective",
        "项目的技术目标、内容和要求",
        "一、技术目标：乙方接受甲方委托，就“{subject}”进行研究开发，达到本合同附件所列的技术指标和参数。\n"
        "二、技术内容：研究开发的范围、技术方案和技术路线以双方确认的研究开发任务书为准。\n"
        "三、成果形式：研究开发报告、技术资料（图纸、工艺文件、源程序等）、样品或者样机，具体以附件清单为准。",
    ),
    ClauseModel(
        "plan",
        "研究开发计划与履行期限",
        "乙方应当按照双方确认的研究开发计划完成各阶段工作，履行期限为{duration}，履行地点为乙方所在地"
        "或者双方约定的地点。乙方应当定期向甲方通报研究开发进展；甲方有权在不影响乙方正常工作的前提下"
        "了解和检查研究开发工作的进展情况。",
    ),
    ClauseModel(
        "price",
        "研究开发经费、报酬及其支付方式",
        "本合同研究开发经费和报酬合计人民币{amount}元（大写：{amount_words}）。{payment}。乙方收到款项后"
        "应当向甲方开具合法有效的发票。研究开发经费的使用以完成本合同约定的研究开发工作为限。",
    ),
    ClauseModel(
        "cooperation",
        "委托方的协作事项",
        "甲方应当按照约定及时向乙方提供研究开发所需的技术背景资料、原始数据和必要的工作条件，并完成双方"
        "约定的协作事项。甲方提供的资料和条件不符合约定，致使研究开发工作停滞、延误或者失败的，由甲方承担"
        "相应责任。",
    ),
    CONFIDENTIALITY,
    ClauseModel(
        "risk",
        "技术风险",
        "在履行本合同过程中，因出现在现有技术水平和条件下难以克服的技术困难，致使研究开发失败或者部分失败的，"
        "发现该情形的一方应当在七日内书面通知另一方并采取适当措施减少损失。由此造成的损失，由双方按照"
        "已投入的比例合理分担，双方另有书面约定的除外。",
    ),
    ClauseModel(
        "delivery",
        "研究开发成果的交付",
        "乙方应当在履行期限届满前，以书面和电子文档形式向甲方交付研究开发成果及附件清单所列的全部技术资料，"
        "并在交付后三个月内为甲方免费提供必要的技术指导，使甲方的技术人员能够掌握和实施该成果。",
    ),
    ClauseModel(
        "acceptance",
        "验收标准和方法",
        "一、验收标准：研究开发成果达到本合同第二条及附件所列的技术指标和参数。\n"
        "二、验收方法：甲方在收到成果后三十日内，按照双方确认的测试方案组织技术测试或者专家评审（必要时"
        "委托双方认可的第三方检测机构检测），并出具书面验收意见。\n"
        "三、验收不合格的，乙方应当在三十日内修改完善并重新提交验收，费用由乙方承担。甲方逾期未提出书面"
        "异议的，视为验收合格。",
    ),
    ClauseModel(
        "ownership",
        "研究开发成果的归属和分享",
        "一、因履行本合同所完成的发明创造，申请专利的权利属于乙方；乙方取得专利权的，甲方可以依法在其"
        "经营范围内免费实施该专利。乙方转让专利申请权的，甲方享有以同等条件优先受让的权利。\n"
        "二、因履行本合同所完成的技术秘密成果，其使用权、转让权以及利益的分配，归双方共有；在本合同有效期"
        "内，乙方不得在向甲方交付研究开发成果之前，将该成果转让给第三方。\n"
        "三、乙方完成本合同项目的研究开发人员享有在有关技术成果文件上写明技术成果完成者的权利和取得"
        "荣誉证书、奖励的权利。",
    ),
    ClauseModel(
        "improvements",
        "后续改进成果的归属",
        "本合同履行完毕后，任何一方利用本合同研究开发成果进行后续改进所产生的新的技术成果，归完成改进的一方"
        "所有。改进方应当在取得改进成果后三十日内通知对方；对方需要使用该改进成果的，双方另行协商使用条件，"
        "在同等条件下对方享有优先受让或者优先获得许可的权利。",
    ),
    LIABILITY,
    ClauseModel(
        "termination",
        "合同的变更和解除",
        "本合同的变更须经双方协商一致，并以书面形式确认。作为研究开发标的的技术已经由他人公开，致使履行本合同"
        "没有意义的，任何一方均可以解除本合同，已经发生的合理费用由双方协商分担。",
    ),
    _disputes(),
    OTHER,
]

TRANSFER = [
    PARTIES,
    ClauseModel(
        "subject",
        "转让标的",
        "乙方将其合法拥有的“{subject}”（以下称“标的技术”）的相关权利转让给甲方。标的技术为专利或者专利"
        "申请的，其名称、专利号（申请号）、申请日及授权日以本合同附件所载的国家知识产权局登记信息为准；"
        "标的技术为技术秘密的，其技术内容、技术指标和技术资料以附件清单为准。",
    ),
    ClauseModel(
        "status",
        "标的技术的权利状况",
        "乙方保证：标的技术的权利合法、有效；在本合同签订前未设定质押，未被司法机关查封；已向第三方许可实施"
        "的，已在附件中如实披露许可的方式、范围和期限，本合同生效后原许可合同继续有效的，有关权利义务由"
        "双方另行约定。标的技术为专利的，乙方已按期缴纳年费。",
    ),
    ClauseModel(
        "delivery",
        "技术资料的交付与技术指导",
        "乙方应当在本合同生效之日起三十日内，向甲方交付实施标的技术所必需的全部技术资料（附件清单所列），"
        "并派技术人员为甲方免费提供不少于十个工作日的技术指导和培训，使甲方能够独立实施标的技术。",
    ),
    ClauseModel(
        "price",
        "转让价款及支付方式",
        "本合同转让价款为人民币{amount}元（大写：{amount_words}）。{payment}。乙方收到款项后应当向甲方开具"
        "合法有效的发票。",
    ),
    ClauseModel(
        "registration",
        "权利变更登记与过渡期",
        "标的技术为专利或者专利申请的，乙方应当在本合同生效之日起十五日内，会同甲方向国家知识产权局办理"
        "著录项目变更手续；专利权或者专利申请权的转让自国家知识产权局登记之日起生效。登记完成前，乙方应当"
        "维持标的技术有效，不得放弃、再转让或者许可第三方实施。变更登记费用由甲方承担。",
    ),
    ClauseModel(
        "warranty",
        "权利瑕疵担保与无效处理",
        "乙方保证是标的技术的合法权利人，且甲方按照本合同实施标的技术不侵犯第三人的合法权益。第三人就标的技术"
        "向甲方主张权利的，由乙方负责处理并承担责任。标的专利在本合同生效后被宣告无效的，已经履行的部分"
        "不具有溯及力，但乙方有恶意的，应当返还甲方已支付的价款并赔偿损失。",
    ),
    CONFIDENTIALITY,
    ClauseModel(
        "acceptance",
        "验收标准和方法",
        "一、验收标准：乙方交付的技术资料完整、清晰、准确，与附件清单一致；甲方按照技术资料和乙方的指导实施，"
        "能够达到附件所列的技术指标。\n"
        "二、验收方法：甲方在收到全部技术资料后三十日内核对资料，并在技术指导结束后三十日内组织试验或者"
        "试生产，双方共同签署验收记录。\n"
        "三、未达到验收标准的，乙方应当在三十日内补充资料或者再次指导；甲方逾期未提出书面异议的，视为验收合格。",
    ),
    ClauseModel(
        "improvements",
        "后续改进成果的归属",
        "本合同生效后，任何一方对标的技术所作的后续改进，其技术成果归完成改进的一方所有。乙方作出的改进"
        "与标的技术有关的，应当及时通知甲方，甲方在同等条件下享有优先受让的权利；甲方作出的改进，乙方无权"
        "无偿使用。",
    ),
    LIABILITY,
    _disputes(),
    OTHER,
]

LICENSE = [
    PARTIES,
    ClauseModel(
        "subject",
        "许可标的",
        "乙方许可甲方实施“{subject}”（以下称“许可技术”）。许可技术为专利或者专利申请的，其名称、专利号"
        "（申请号）及有效期以本合同附件所载的国家知识产权局登记信息为准；许可技术为技术秘密的，其技术内容"
        "和技术资料以附件清单为准。",
    ),
    ClauseModel(
        "scope",
        "许可方式、范围和期限",
        "一、许可方式：{exclusivity}。\n"
        "二、许可范围：甲方可以在{territory}以制造、使用、销售、许诺销售等方式实施许可技术；未经乙方书面"
        "同意，甲方不得再许可第三方实施。\n"
        "三、许可期限：{duration}；许可技术为专利的，许可期限不超过专利权的有效期限。",
    ),
    ClauseModel(
        "delivery",
        "技术资料的交付与技术指导",
        "乙方应当在本合同生效之日起三十日内向甲方交付实施许可技术所必需的技术资料，并为甲方免费提供不少于"
        "十个工作日的技术指导和培训，保证甲方的技术人员能够掌握许可技术。",
    ),
    ClauseModel(
        "price",
        "使用费及支付方式",
        "本合同许可使用费为人民币{amount}元（大写：{amount_words}）。{payment}。乙方收到款项后应当向甲方"
        "开具合法有效的发票。采用提成方式的，乙方有权在通知甲方后查阅与提成计算有关的会计账目。",
    ),
    ClauseModel(
        "acceptance",
        "验收标准和方法",
        "一、验收标准：乙方交付的技术资料完整、准确；甲方按照技术资料和乙方的指导实施许可技术，生产的产品"
        "或者达到的工艺效果符合附件所列的技术指标。\n"
        "二、验收方法：甲方在技术指导结束后六十日内组织试生产或者测试，双方共同签署验收记录。\n"
        "三、未达到验收标准的，乙方应当在三十日内改进；因乙方原因两次验收仍不合格的，甲方有权解除本合同。",
    ),
    ClauseModel(
        "infringement",
        "权利担保与侵权处理",
        "乙方保证是许可技术的合法权利人或者有权许可他人实施，甲方按照本合同实施许可技术不侵犯第三人的合法"
        "权益；第三人就此向甲方主张权利的，由乙方负责处理并承担责任。发现第三人侵犯许可技术的，甲方应当及时"
        "通知乙方，由乙方依法维权，甲方予以协助。",
    ),
    CONFIDENTIALITY,
    ClauseModel(
        "improvements",
        "后续改进的提供与分享",
        "在许可期限内，任何一方对许可技术所作的后续改进，其技术成果归完成改进的一方所有。双方本着互利原则，"
        "应当将改进情况通知对方；一方需要实施对方改进成果的，在同等条件下享有优先获得许可的权利，使用费"
        "由双方另行约定。乙方的改进成果与许可技术不可分的，甲方可以在许可范围内免费使用。",
    ),
    LIABILITY,
    ClauseModel(
        "termination",
        "合同的终止",
        "许可期限届满、许可技术的专利权终止或者被宣告无效的，本合同终止。专利权被宣告无效的，已经支付的使用费"
        "不予返还，但乙方有恶意的除外。本合同终止后，甲方不得继续实施许可技术，但双方另有约定的除外。",
    ),
    _disputes(),
    OTHER,
]

CONSULTING = [
    PARTIES,
    ClauseModel(
        "subject",
        "咨询项目、内容和要求",
        "甲方委托乙方就“{subject}”提供技术咨询：进行可行性论证、技术预测、专题技术调查或者分析评价，并以"
        "书面咨询报告的形式提出咨询意见。咨询报告的内容、深度和格式要求以双方确认的咨询任务书为准。",
    ),
    ClauseModel(
        "performance",
        "履行期限、地点和方式",
        "乙方应当在{duration}内完成咨询工作并提交咨询报告；履行地点为乙方所在地或者双方约定的地点。"
        "乙方可以通过调研、座谈、文献检索和专家论证等方式进行咨询工作。",
    ),
    ClauseModel(
        "cooperation",
        "委托方的协作事项",
        "甲方应当按照约定及时向乙方阐明咨询的问题，提供有关技术背景材料和数据，并接受乙方的工作成果。"
        "甲方提供的资料不准确、不完整，影响咨询报告质量的，由甲方承担责任。",
    ),
    ClauseModel(
        "price",
        "报酬及支付方式",
        "本合同咨询报酬为人民币{amount}元（大写：{amount_words}）。{payment}。乙方收到款项后应当向甲方开具"
        "合法有效的发票。",
    ),
    ClauseModel(
        "acceptance",
        "验收标准和方法",
        "一、验收标准：咨询报告符合咨询任务书规定的内容、深度和格式要求，论据充分，结论明确。\n"
        "二、验收方法：甲方在收到咨询报告后二十日内组织审查，必要时可以邀请同行专家评议，并出具书面验收意见。\n"
        "三、咨询报告不符合要求的，乙方应当在二十日内补充修改；甲方逾期未提出书面异议的，视为验收合格。",
    ),
    ClauseModel(
        "decision_risk",
        "咨询意见的使用",
        "甲方按照符合约定要求的咨询报告和意见作出决策所造成的损失，由甲方承担，双方另有约定的除外。乙方"
        "不得因本合同而对甲方的决策作出任何保证。",
    ),
    CONFIDENTIALITY,
    ClauseModel(
        "improvements",
        "新技术成果和后续改进成果的归属",
        "在履行本合同过程中，乙方利用甲方提供的技术资料和工作条件完成的新的技术成果，属于乙方；甲方利用"
        "乙方的工作成果完成的新的技术成果，属于甲方。此后任何一方在上述成果基础上所作的后续改进，归完成"
        "改进的一方所有。",
    ),
    LIABILITY,
    _disputes(),
    OTHER,
]

SERVICE = [
    PARTIES,
    ClauseModel(
        "subject",
        "服务内容、方式和要求",
        "甲方委托乙方就“{subject}”提供技术服务，以乙方的专业技术知识为甲方解决特定技术问题。服务的内容、"
        "方式、工作量和应达到的技术指标以双方确认的服务任务书为准。",
    ),
    ClauseModel(
        "cooperation",
        "工作条件和协作事项",
        "甲方应当按照约定为乙方提供工作条件（场地、设备、样品、数据等），完成配合事项，并及时接受乙方的"
        "工作成果。甲方未按约定提供工作条件的，乙方的履行期限相应顺延。",
    ),
    ClauseModel(
        "performance",
        "履行期限、地点和方式",
        "乙方应当在{duration}内完成服务工作；履行地点为甲方指定的场所或者双方约定的地点。乙方应当按照约定"
        "的方式完成服务，发现甲方提供的资料、样品或者工作条件不符合约定的，应当及时通知甲方。",
    ),
    ClauseModel(
        "price",
        "报酬及支付方式",
        "本合同服务报酬为人民币{amount}元（大写：{amount_words}）。{payment}。乙方收到款项后应当向甲方开具"
        "合法有效的发票。",
    ),
    ClauseModel(
        "acceptance",
        "验收标准和方法",
        "一、验收标准：服务成果达到服务任务书规定的技术指标，所解决的技术问题符合约定的要求。\n"
        "二、验收方法：服务完成后十五日内，甲方采取现场检测、技术测试或者专家评审的方式验收，并出具书面"
        "验收意见。\n"
        "三、验收不合格的，乙方应当在十五日内免费补正；甲方逾期未提出书面异议的，视为验收合格。",
    ),
    CONFIDENTIALITY,
    ClauseModel(
        "improvements",
        "新技术成果和后续改进成果的归属",
        "在履行本合同过程中，乙方利用甲方提供的技术资料和工作条件完成的新的技术成果，属于乙方；甲方利用"
        "乙方的工作成果完成的新的技术成果，属于甲方。此后任何一方在上述成果基础上所作的后续改进，归完成"
        "改进的一方所有。",
    ),
    LIABILITY,
    _disputes(),
    OTHER,
]

MODEL_TEXTS: dict[str, list[ClauseModel]] = {
    ContractType.DEVELOPMENT: DEVELOPMENT,
    ContractType.TRANSFER: TRANSFER,
    ContractType.LICENSE: LICENSE,
    ContractType.CONSULTING: CONSULTING,
    ContractType.SERVICE: SERVICE,
}


def model_clauses(contract: Any) -> list[tuple[str, str, str]]:
    """``(key, heading, text)`` of the contract's type, placeholders filled; ``[]`` while the type is open."""
    models = MODEL_TEXTS.get(contract.contract_type)
    if not models:
        return []
    values = placeholders(contract)
    out = []
    for model in models:
        if model.key == DISPUTES_KEY:
            text = dispute_text(contract.dispute_method, contract.dispute_venue)
        else:
            text = model.text.format(**values)
        out.append((model.key, model.heading, text))
    return out
