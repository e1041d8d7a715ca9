"""Demo data of technology finance, written for demonstration (no real investor, request or figure):

- eleven demo investors of the kinds the plan names (angel, venture funds, a bank's technology branch,
  a guarantor, an insurer, a district guidance fund, a conversion fund run with the demo technology
  transfer centre), each with its preferences and products, registered and qualified through the
  services;
- fifteen financing requests of demo enterprises, each written with the investors a person would
  introduce it to (``expected``): the set the matching quality is measured on
  (``manage.py evaluate_finance_matching``);
- one introduction asked by the demo enterprise, awaiting the investor's consent;
- a demo conversion fund sponsored by the demo technology transfer centre, with one open call.

Every organisation is named 示例·… and ``is_demo``; every record ``is_demo``. No financing is closed, so
the statistics and the governance figures start at zero. Idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from techbridge.accounts.models import User
from techbridge.core import audit
from techbridge.core.roles import Role
from techbridge.organizations.choices import OrgKind
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import services
from .choices import Instrument as I
from .choices import InvestorKind as K
from .choices import Stage as S
from .models import FinancingRequest, Fund, Introduction, Investor

DEMO_SERVICE_ORG = "示例技术转移服务中心"
DEMO_ENTERPRISE = "示例·南京某集成电路设计企业"
DEMO_FUND = "示例·南京市科技成果转化基金"
WAN = Decimal("10000")


@dataclass(frozen=True)
class DemoProduct:
    name: str
    instrument: str
    summary: str
    low: int  # 万元
    high: int
    months: int | None = None
    rate: str = ""


@dataclass(frozen=True)
class DemoInvestor:
    key: str
    name: str
    org: str
    kind: str
    summary: str
    fields: tuple[str, ...]
    stages: tuple[str, ...]
    instruments: tuple[str, ...]
    low: int  # 万元
    high: int
    districts: tuple[str, ...] = ()
    district: str = "jianye"
    products: tuple[DemoProduct, ...] = ()


@dataclass(frozen=True)
class DemoRequest:
    title: str
    org: str
    district: str
    summary: str
    amount: int  # 万元
    stage: str
    instrument: str
    fields: tuple[str, ...]
    use: str
    expected: tuple[str, ...] = field(default=())


INVESTORS = [
    DemoInvestor(
        "angel",
        "示例·紫金山天使投资",
        "示例·紫金山天使投资合伙企业",
        K.ANGEL,
        "投资软件、物联网和芯片设计领域的早期团队，单笔五十万到五百万元，看重创始团队与技术原创性。",
        ("software", "iot", "ic"),
        (S.SEED, S.STARTUP),
        (I.EQUITY,),
        50,
        500,
    ),
    DemoInvestor(
        "ic-fund",
        "示例·金陵集成电路产业投资基金",
        "示例·金陵集成电路产业投资基金管理有限公司",
        K.VENTURE,
        "聚焦集成电路设计、制造、封装测试与功率半导体，投资成长期企业，支持江北新区、江宁区芯片产业集群。",
        ("ic",),
        (S.STARTUP, S.GROWTH),
        (I.EQUITY,),
        1000,
        10000,
        ("jiangbei", "jiangning"),
        "jiangbei",
    ),
    DemoInvestor(
        "bio-fund",
        "示例·生物医药创业投资基金",
        "示例·南京生物医药创业投资有限公司",
        K.VENTURE,
        "投资创新药、医疗器械与体外诊断，覆盖临床前到临床二期的项目。",
        ("life-health",),
        (S.STARTUP, S.GROWTH, S.EXPANSION),
        (I.EQUITY,),
        500,
        5000,
        (),
        "jiangbei",
    ),
    DemoInvestor(
        "bank",
        "示例·科技银行南京分行科技支行",
        "示例·科技银行南京分行",
        K.BANK,
        "为科技型中小企业提供信用贷款和知识产权质押贷款，按研发投入、知识产权和订单授信。",
        (),
        (S.GROWTH, S.EXPANSION, S.MATURE),
        (I.LOAN, I.IP_LOAN),
        100,
        3000,
        (),
        "qinhuai",
        (
            DemoProduct(
                "科技贷（示例）",
                I.LOAN,
                "信用方式，按上年研发投入和纳税额核定额度。",
                100,
                1000,
                12,
                "LPR+50BP",
            ),
            DemoProduct(
                "知识产权质押贷（示例）",
                I.IP_LOAN,
                "以有效发明专利质押，按评估值的三至五成授信，政府风险补偿资金分担损失。",
                100,
                2000,
                36,
                "LPR",
            ),
        ),
    ),
    DemoInvestor(
        "guarantee",
        "示例·科技融资担保有限公司",
        "示例·南京科技融资担保有限公司",
        K.GUARANTEE,
        "为轻资产科技企业的银行贷款提供担保，担保费率低于市场水平。",
        (),
        (S.STARTUP, S.GROWTH),
        (I.GUARANTEE,),
        100,
        1000,
        (),
        "xuanwu",
        (
            DemoProduct(
                "科技贷款担保（示例）",
                I.GUARANTEE,
                "为科技型企业贷款提供连带责任担保，年费率1%。",
                100,
                1000,
                12,
                "1%/年",
            ),
        ),
    ),
    DemoInvestor(
        "insurer",
        "示例·科技保险服务中心",
        "示例·科技保险股份有限公司南京分公司",
        K.INSURANCE,
        "提供首台（套）重大技术装备保险、研发费用损失保险和专利执行保险。",
        (),
        (),
        (I.INSURANCE,),
        10,
        500,
        (),
        "gulou",
        (
            DemoProduct(
                "首台套保险（示例）",
                I.INSURANCE,
                "首台（套）重大技术装备质量与责任保险，保费财政补贴。",
                10,
                500,
                12,
            ),
        ),
    ),
    DemoInvestor(
        "guidance",
        "示例·南京市天使投资引导基金",
        "示例·南京市创新投资引导基金管理中心",
        K.GUIDANCE,
        "财政资金引导社会资本投资种子期、初创期科技企业，重点支持集成电路、生命健康和新能源汽车。",
        ("ic", "life-health", "nev"),
        (S.SEED, S.STARTUP),
        (I.EQUITY,),
        100,
        1000,
        (),
        "jianye",
    ),
    DemoInvestor(
        "conversion",
        "示例·高校科技成果转化基金",
        DEMO_SERVICE_ORG,
        K.CONVERSION,
        "与高校院所合作设立，投资科技成果转化项目和高校衍生企业，关注激光、智能制造与新材料。",
        ("laser", "manufacturing", "materials"),
        (S.SEED, S.STARTUP),
        (I.EQUITY,),
        100,
        2000,
        (),
        "xuanwu",
    ),
    DemoInvestor(
        "nev-fund",
        "示例·新能源汽车产业基金",
        "示例·南京新能源汽车产业投资管理有限公司",
        K.VENTURE,
        "投资动力电池、电驱动系统、充换电与智能电网相关的扩张期企业。",
        ("nev", "smart-grid"),
        (S.GROWTH, S.EXPANSION),
        (I.EQUITY,),
        2000,
        20000,
        (),
        "jiangning",
    ),
    DemoInvestor(
        "green-fund",
        "示例·绿色环保产业投资基金",
        "示例·南京绿色产业投资有限公司",
        K.VENTURE,
        "投资水处理、固废资源化、膜材料与生态农业技术的成长期企业。",
        ("environment", "materials", "agriculture"),
        (S.GROWTH,),
        (I.EQUITY,),
        500,
        5000,
        (),
        "luhe",
    ),
    DemoInvestor(
        "beidou-fund",
        "示例·北斗与未来网络产业基金",
        "示例·南京北斗网络产业投资有限公司",
        K.VENTURE,
        "投资北斗导航、卫星应用和通信与未来网络领域的初创与成长期企业。",
        ("beidou", "network"),
        (S.STARTUP, S.GROWTH),
        (I.EQUITY,),
        500,
        5000,
        (),
        "jiangning",
    ),
]

REQUESTS = [
    DemoRequest(
        "端侧AI推理芯片天使轮融资",
        "示例·南京某芯片初创公司",
        "jiangbei",
        "团队来自高校微电子学院，研发低功耗端侧AI推理芯片，已完成架构验证，寻求天使轮投资用于首次流片。",
        300,
        S.SEED,
        I.EQUITY,
        ("ic",),
        "首次流片与样片测试。",
        ("angel", "guidance"),
    ),
    DemoRequest(
        "碳化硅功率器件产线扩产",
        DEMO_ENTERPRISE,
        "jiangbei",
        "公司量产车规级碳化硅功率器件，订单饱满，拟扩建封装测试产线，寻求A轮股权融资。",
        3000,
        S.GROWTH,
        I.EQUITY,
        ("ic",),
        "封测产线扩建与车规认证。",
        ("ic-fund",),
    ),
    DemoRequest(
        "小分子靶向抗肿瘤新药临床研究",
        "示例·南京某生物医药公司",
        "jiangbei",
        "自主研发的小分子靶向抗肿瘤新药已获临床试验批件，寻求资金开展一期临床研究。",
        2000,
        S.STARTUP,
        I.EQUITY,
        ("life-health",),
        "一期临床试验与药学研究。",
        ("bio-fund",),
    ),
    DemoRequest(
        "便携式超声诊断设备种子轮",
        "示例·南京某医疗器械公司",
        "gulou",
        "研发掌上便携式超声诊断设备，样机完成，寻求种子轮投资用于注册检验。",
        500,
        S.SEED,
        I.EQUITY,
        ("life-health",),
        "注册检验与临床评价。",
        ("guidance", "bio-fund"),
    ),
    DemoRequest(
        "以发明专利质押申请贷款",
        "示例·南京某新材料公司",
        "luhe",
        "公司拥有十二件有效发明专利，产品为高性能分离膜，拟以专利质押取得贷款扩充产能。",
        800,
        S.GROWTH,
        I.IP_LOAN,
        ("materials",),
        "原材料采购与设备更新。",
        ("bank",),
    ),
    DemoRequest(
        "智能装备企业流动资金贷款",
        "示例·南京某智能装备公司",
        "jiangning",
        "公司生产工业机器人柔性焊接工作站，订单增长，需要流动资金贷款周转。",
        500,
        S.MATURE,
        I.LOAN,
        ("manufacturing",),
        "原材料采购与流动资金周转。",
        ("bank",),
    ),
    DemoRequest(
        "软件企业贷款担保",
        "示例·南京某工业软件公司",
        "xuanwu",
        "公司研发工业设计仿真软件，轻资产缺少抵押物，申请银行贷款需要担保。",
        300,
        S.STARTUP,
        I.GUARANTEE,
        ("software",),
        "研发人员薪酬与市场推广。",
        ("guarantee",),
    ),
    DemoRequest(
        "首台套数控机床投保",
        "示例·南京某数控机床公司",
        "jiangning",
        "公司五轴联动数控机床入选首台（套）重大技术装备目录，需投保质量与责任保险。",
        200,
        S.GROWTH,
        I.INSURANCE,
        ("manufacturing",),
        "首台（套）保险保费。",
        ("insurer",),
    ),
    DemoRequest(
        "超快激光精密加工成果转化项目",
        "示例·南京某激光科技公司",
        "xuanwu",
        "高校超快激光精密加工成果作价入股成立公司，完成样机，寻求成果转化早期投资。",
        600,
        S.SEED,
        I.EQUITY,
        ("laser",),
        "样机定型与首批客户验证。",
        ("conversion",),
    ),
    DemoRequest(
        "固态动力电池量产线建设",
        "示例·南京某动力电池公司",
        "lishui",
        "固态动力电池通过车企验证，规划建设年产两吉瓦时量产线，寻求扩张期股权融资。",
        10000,
        S.EXPANSION,
        I.EQUITY,
        ("nev",),
        "量产线建设。",
        ("nev-fund",),
    ),
    DemoRequest(
        "工业废水膜处理系统推广",
        "示例·南京某环保科技公司",
        "luhe",
        "公司的陶瓷膜工业废水处理系统已在化工园区应用，寻求成长期融资扩大推广。",
        2000,
        S.GROWTH,
        I.EQUITY,
        ("environment", "materials"),
        "市场推广与产能建设。",
        ("green-fund",),
    ),
    DemoRequest(
        "北斗高精度定位模组研发",
        "示例·南京某导航科技公司",
        "jiangning",
        "研发北斗三号厘米级高精度定位模组，面向智能驾驶与无人机，寻求A轮融资。",
        1500,
        S.STARTUP,
        I.EQUITY,
        ("beidou",),
        "模组研发与车规认证。",
        ("beidou-fund",),
    ),
    DemoRequest(
        "工业物联网设备管理平台种子轮",
        "示例·南京某物联网公司",
        "qixia",
        "为中小制造企业提供设备联网与预测性维护的物联网云平台，已有试点客户。",
        200,
        S.SEED,
        I.EQUITY,
        ("iot", "software"),
        "产品研发与试点客户交付。",
        ("angel",),
    ),
    # Two where the text points to a sector fund but the instrument asked for does not.
    DemoRequest(
        "芯片设计企业知识产权质押融资",
        "示例·南京某射频芯片公司",
        "jiangbei",
        "公司从事射频前端芯片设计，拥有二十件集成电路布图设计和发明专利，拟以专利质押取得银行贷款。",
        500,
        S.GROWTH,
        I.IP_LOAN,
        ("ic",),
        "流片费用与库存备货。",
        ("bank",),
    ),
    DemoRequest(
        "新能源汽车热管理部件企业贷款担保",
        "示例·南京某汽车零部件公司",
        "lishui",
        "公司为新能源汽车提供电池热管理部件，获得整车厂定点，向银行申请贷款需要担保。",
        400,
        S.STARTUP,
        I.GUARANTEE,
        ("nev",),
        "模具与首批量产备料。",
        ("guarantee",),
    ),
]


def _org(name: str, kind: str, district: str) -> Organization:
    from techbridge.imports.management.commands.demo_accounts import OrgSpec, ensure_org

    existing = Organization.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return ensure_org(OrgSpec(name, kind, district))


def _person(org: Organization, username: str) -> User:
    """The organisation's demo person (no password: nobody signs in as them)."""
    user = (
        User.objects.filter(organization=org, role__in=[Role.MEMBER, Role.ORG_ADMIN]).order_by("pk").first()
    )
    if user is not None:
        return user
    user = User(username=username, real_name="示例联系人", role=Role.ORG_ADMIN, organization=org)
    user.set_unusable_password()
    user.save()
    audit.record(user, "accounts.user.demo_created", data={"role": user.role, "organization": org.pk})
    return user


def load(operator: Any) -> dict[str, int]:
    """Create what is missing; returns how many investors, requests and introductions were created."""
    created = {"investors": 0, "requests": 0, "introductions": 0, "funds": 0}
    with transaction.atomic():
        by_key: dict[str, Investor] = {}
        for n, spec in enumerate(INVESTORS, 1):
            inv = Investor.objects.filter(name=spec.name, is_demo=True).first()
            if inv is None:
                org = _org(spec.org, OrgKind.INVESTOR, spec.district)
                actor = _person(org, f"demo_investor_{n}")
                inv = services.create_investor(
                    actor=actor,
                    data={
                        "name": spec.name,
                        "kind": spec.kind,
                        "summary": spec.summary,
                        "stages": list(spec.stages),
                        "instruments": list(spec.instruments),
                        "districts": list(spec.districts),
                        "ticket_min": spec.low * WAN,
                        "ticket_max": spec.high * WAN,
                    },
                    fields=IndustryField.objects.filter(code__in=spec.fields),
                    is_demo=True,
                )
                for p in spec.products:
                    services.add_product(
                        inv,
                        actor=actor,
                        data={
                            "name": p.name,
                            "instrument": p.instrument,
                            "summary": p.summary,
                            "amount_min": p.low * WAN,
                            "amount_max": p.high * WAN,
                            "term_months": p.months,
                            "rate_note": p.rate,
                        },
                    )
                services.qualify_investor(inv, actor=operator)
                created["investors"] += 1
            by_key[spec.key] = inv
        for n, rspec in enumerate(REQUESTS, 1):
            req = FinancingRequest.objects.filter(title=rspec.title, is_demo=True).first()
            if req is None:
                org = _org(rspec.org, OrgKind.ENTERPRISE, rspec.district)
                actor = _person(org, f"demo_enterprise_{n}")
                req = services.create_request(
                    actor=actor,
                    data={
                        "title": rspec.title,
                        "summary": rspec.summary,
                        "amount": rspec.amount * WAN,
                        "stage": rspec.stage,
                        "instrument": rspec.instrument,
                        "district": rspec.district,
                        "use_of_funds": rspec.use,
                    },
                    fields=IndustryField.objects.filter(code__in=rspec.fields),
                    is_demo=True,
                )
                created["requests"] += 1
            if rspec.org == DEMO_ENTERPRISE and not Introduction.objects.filter(request=req).exists():
                actor = _person(req.organization, f"demo_enterprise_{n}")
                services.propose_introduction(req, by_key["ic-fund"], actor=actor, is_demo=True)
                created["introductions"] += 1
        if not Fund.objects.filter(name=DEMO_FUND, is_demo=True).exists():
            import datetime as dt

            from django.utils import timezone

            from . import funding

            sponsor = _org(DEMO_SERVICE_ORG, OrgKind.SERVICE, "xuanwu")
            fund = funding.create_fund(
                actor=operator,
                data={
                    "name": DEMO_FUND,
                    "sponsor": sponsor,
                    "size": 20000 * WAN,
                    "rules": (
                        "示例规则：单个项目资助不超过三百万元，按里程碑分期拨付；"
                        "评审专家从平台专家库中回避抽取。"
                    ),
                },
                fields=IndustryField.objects.filter(code__in=["ic", "laser", "manufacturing", "materials"]),
                is_demo=True,
            )
            funding.open_call(
                fund,
                actor=operator,
                data={
                    "title": "示例·科技成果转化项目征集",
                    "summary": "面向高校院所科技成果在宁转化项目，支持中试熟化与首批量产。",
                    "closes_on": timezone.localdate() + dt.timedelta(days=60),
                    "max_award": 300 * WAN,
                    "panel_size": 3,
                },
                is_demo=True,
            )
            created["funds"] = 1
    return created


def demo_operator() -> User | None:
    return User.objects.filter(username="operator", role=Role.OPERATOR).first()
