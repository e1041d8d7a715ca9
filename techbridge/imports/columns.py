"""The column names the importers accept (Chinese headers as patent databases and university systems
write them) and the vocabularies a row's words are read against."""

from __future__ import annotations

import re

from techbridge.achievements.choices import AchievementType
from techbridge.organizations.choices import District, OrgKind
from techbridge.taxonomy.models import DealMode, Discipline, IndustryField

# ---- column names ----------------------------------------------------------------------------
# Canonical name → accepted headers. The English model field names are always accepted as well.

COMMON_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("外部编号", "编号", "id"),
    "fields": ("行业领域", "领域", "所属领域"),
    "keywords": ("关键词", "关键字"),
    "owner_kind": ("单位类型", "owner_type"),
    "district": ("所在区", "所在区域", "区"),
    "owner_description": ("单位简介",),
    "contact_name": ("联系人",),
    "contact_phone": ("联系电话", "电话"),
    "contact_email": ("联系邮箱", "邮箱", "电子邮箱"),
}

ACHIEVEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    **COMMON_COLUMNS,
    "title": ("标题", "成果名称", "名称"),
    "kind": ("成果类型", "类型"),
    "discipline": ("学科",),
    "ipc_codes": ("IPC分类号", "IPC", "分类号"),
    "trl": ("技术成熟度", "成熟度", "TRL"),
    "deal_modes": ("交易方式", "转化方式"),
    "price": ("价格(元)", "价格", "参考价格(元)", "参考价格"),
    "price_negotiable": ("面议", "价格面议"),
    "patent_numbers": ("专利号", "专利号码"),
    "owner": ("所属单位", "单位", "单位名称", "成果单位"),
    "team": ("团队", "发明人", "团队成员"),
    "summary": ("简介", "成果简介", "摘要"),
    "advantages": ("技术优势", "优势"),
    "applications": ("应用前景", "应用领域"),
    "detail": ("详细说明", "技术详情", "详细介绍"),
    "dual_use": ("军民两用",),
}

PATENT_COLUMNS: dict[str, tuple[str, ...]] = {
    **ACHIEVEMENT_COLUMNS,
    "title": ("专利名称", "标题", "名称"),
    "kind": ("专利类型", "类型"),
    "patent_numbers": ("专利号", "申请号", "公开号", "公开(公告)号", "授权公告号"),
    "owner": ("专利权人", "申请人", "所属单位", "单位"),
    "team": ("发明人", "团队"),
    "summary": ("摘要", "专利摘要", "简介"),
    "detail": ("主权项", "权利要求", "详细说明"),
}

PATENT_KINDS = frozenset(
    {AchievementType.INVENTION_PATENT, AchievementType.UTILITY_MODEL, AchievementType.DESIGN}
)

DEMAND_COLUMNS: dict[str, tuple[str, ...]] = {
    **COMMON_COLUMNS,
    "title": ("需求名称", "标题", "名称"),
    "problem": ("问题描述", "需求描述", "需求内容"),
    "setting": ("应用场景",),
    "indicators": ("技术指标", "指标要求"),
    "cooperation_modes": ("合作方式",),
    "budget_min": ("预算下限", "预算下限(元)"),
    "budget_max": ("预算上限", "预算上限(元)"),
    "budget_negotiable": ("面议", "预算面议"),
    "deadline": ("截止日期", "截止时间"),
    "enterprise": ("需求企业", "企业", "企业名称", "所属单位", "owner"),
}

ORGANIZATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "机构名称", "企业名称"),
    "kind": ("单位类型", "类型"),
    "credit_code": ("统一社会信用代码", "信用代码"),
    "district": ("所在区", "所在区域", "区"),
    "address": ("地址", "通讯地址"),
    "website": ("网站", "网址"),
    "description": ("简介", "单位简介"),
    "contact_phone": ("联系电话", "电话"),
}


def header_key(name: str) -> str:
    """Headers match whatever the spacing, case, full-width brackets or required-field stars."""
    name = name.replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return re.sub(r"\s+", "", name).lower()


def alias_table(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {}
    for canonical, aliases in columns.items():
        for alias in (canonical, *aliases):
            table[header_key(alias)] = canonical
    return table


# ---- vocabularies ----------------------------------------------------------------------------

KIND_NAMES = {
    "发明专利": AchievementType.INVENTION_PATENT,
    "发明": AchievementType.INVENTION_PATENT,
    "发明授权": AchievementType.INVENTION_PATENT,
    "发明公开": AchievementType.INVENTION_PATENT,
    "实用新型": AchievementType.UTILITY_MODEL,
    "实用新型专利": AchievementType.UTILITY_MODEL,
    "外观设计": AchievementType.DESIGN,
    "外观设计专利": AchievementType.DESIGN,
    "软件著作权": AchievementType.SOFTWARE,
    "计算机软件著作权": AchievementType.SOFTWARE,
    "软著": AchievementType.SOFTWARE,
    "集成电路布图设计": AchievementType.IC_LAYOUT,
    "植物新品种": AchievementType.PLANT_VARIETY,
    "生物医药新品种": AchievementType.BIOMEDICINE,
    "技术秘密": AchievementType.TECHNICAL_SECRET,
    "其他": AchievementType.OTHER,
}

ORG_KIND_NAMES = {
    "高校": OrgKind.UNIVERSITY,
    "大学": OrgKind.UNIVERSITY,
    "高等院校": OrgKind.UNIVERSITY,
    "科研院所": OrgKind.INSTITUTE,
    "科研机构": OrgKind.INSTITUTE,
    "研究院所": OrgKind.INSTITUTE,
    "企业": OrgKind.ENTERPRISE,
    "服务机构": OrgKind.SERVICE,
    "技术转移服务机构": OrgKind.SERVICE,
    "投资机构": OrgKind.INVESTOR,
    "政府部门": OrgKind.GOVERNMENT,
    "平台运营方": OrgKind.OPERATOR,
}

DISTRICT_NAMES = {
    "玄武": District.XUANWU,
    "秦淮": District.QINHUAI,
    "建邺": District.JIANYE,
    "鼓楼": District.GULOU,
    "浦口": District.PUKOU,
    "栖霞": District.QIXIA,
    "雨花台": District.YUHUATAI,
    "江宁": District.JIANGNING,
    "六合": District.LUHE,
    "溧水": District.LISHUI,
    "高淳": District.GAOCHUN,
    "江北新区": District.JIANGBEI,
    "江北": District.JIANGBEI,
    "高新区": District.HIGHTECH,
    "南京高新区": District.HIGHTECH,
    "南京以外": District.OUTSIDE,
    "外地": District.OUTSIDE,
}

DEAL_MODE_ALIASES = {"技术转让": "assignment", "专利转让": "assignment", "作价入股": "equity"}


class Vocab:
    """The listing vocabularies, read once per import: code, name or alias → primary key."""

    def __init__(self) -> None:
        self.fields: dict[str, int] = {}
        for pk, code, name in IndustryField.objects.values_list("pk", "code", "name"):
            self.fields[code.lower()] = pk
            self.fields[name] = pk
            # "生命健康/生物医药": either half alone names the field too.
            for part in name.split("/"):
                self.fields.setdefault(part.strip(), pk)
        self.field_names = list(IndustryField.objects.values_list("name", flat=True))
        self.deal_modes: dict[str, int] = {}
        for pk, code, name in DealMode.objects.values_list("pk", "code", "name"):
            self.deal_modes[code.lower()] = pk
            self.deal_modes[name] = pk
        for alias, code in DEAL_MODE_ALIASES.items():
            if code in self.deal_modes:
                self.deal_modes[alias] = self.deal_modes[code]
        self.deal_mode_names = list(DealMode.objects.values_list("name", flat=True))
        self.disciplines = dict(Discipline.objects.values_list("name", "pk"))
