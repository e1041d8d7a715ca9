"""Downloadable Excel templates (导入模板) per kind: Chinese headers, one example row, a notes sheet.

The columns come from the kind's registration (``registry.ImportKind.template``); ``BUILT_IN_TEMPLATES``
holds this app's own. The headers are names the importers accept (``columns.*_COLUMNS``); a star
marks a required column (the importers ignore the star). The sheet shown
on opening (the first, visible one) is the one that is imported.
"""

from __future__ import annotations

from techbridge.lib.xlsx import Sheet, workbook_bytes
from techbridge.taxonomy import vocab

from .registry import import_kind

# kind → (file label, [(header, example value, note)])
BUILT_IN_TEMPLATES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "achievements": (
        "科技成果",
        [
            (
                "外部编号",
                "NJU-2026-001",
                "来源系统中的编号；同一来源内唯一。重复导入按“来源+外部编号”更新，不会重复创建。",
            ),
            ("成果名称*", "高通量油水分离陶瓷膜制备技术", "必填，200 字以内。"),
            (
                "成果类型",
                "发明专利",
                "发明专利、实用新型、外观设计、软件著作权、集成电路布图设计、植物新品种、技术秘密、其他。",
            ),
            ("所属单位*", "示例大学", "必填。须为平台上已注册的单位（可先导入“单位”）。"),
            ("单位类型", "高校", "高校、科研院所、企业等；同名单位多于一个时必填。"),
            ("行业领域", "膜材料/化工新材料；环保", "多个用；或、分隔。可用领域名称或代码。"),
            ("学科", "材料科学与工程", "国家一级学科名称。"),
            ("技术成熟度", "6", "1–9 的整数（TRL），未评估可留空。"),
            ("交易方式", "转让；独占许可", "转让、独占许可、排他许可、普通许可、开放许可、作价投资等。"),
            ("价格(元)", "面议", "金额（元，可写 50万），或“面议”。"),
            ("专利号", "CN202223220665.2", "多个用；分隔，如 CN202223220665.2、CN218751475U。"),
            ("IPC分类号", "B01D 71/02", "如 H04L 或 G06F 16/35，多个用；分隔。"),
            ("团队", "张三、李四", ""),
            ("联系人", "王老师", ""),
            ("联系电话", "025-83590000", ""),
            ("联系邮箱", "tto@example.edu.cn", ""),
            ("关键词", "陶瓷膜、油水分离", "多个用、分隔。"),
            (
                "成果简介*",
                "以多孔陶瓷为基体，制备具有超亲水表面的分离膜，用于含油废水处理。",
                "必填，公开展示。",
            ),
            ("技术优势", "通量高、耐污染、寿命长。", ""),
            ("应用前景", "石化、机械加工含油废水处理。", ""),
        ],
    ),
    "patents": (
        "专利",
        [
            ("外部编号", "", "可留空：留空时以第一个专利号识别，重复导入不会重复创建。"),
            ("专利名称*", "一种锂离子电池隔膜及其制备方法", "必填。"),
            (
                "专利号*",
                "CN202121635235.X",
                "必填，中国专利申请号或公开号，如 CN202121635235.X、CN218751475U。",
            ),
            ("专利类型", "发明专利", "发明专利（默认）、实用新型、外观设计。"),
            ("专利权人*", "示例大学", "必填。须为平台上已注册的单位。"),
            ("单位类型", "高校", ""),
            ("发明人", "张三；李四", ""),
            ("IPC分类号", "H01M 50/40", "如 H01M 或 H01M 50/40。"),
            ("行业领域", "新能源汽车", ""),
            ("交易方式", "转让", ""),
            ("价格(元)", "30万", "金额或“面议”。"),
            ("摘要*", "本发明公开了一种耐高温锂离子电池隔膜及其制备方法。", "必填，公开展示。"),
            ("关键词", "隔膜、锂电池", ""),
        ],
    ),
    "demands": (
        "技术需求",
        [
            ("外部编号", "QY-2026-015", "来源系统中的编号；同一来源内唯一。"),
            ("需求名称*", "含油废水低成本处理技术", "必填。"),
            ("需求企业*", "示例企业有限公司", "必填。须为平台上已注册的企业。"),
            ("行业领域", "环保", ""),
            ("问题描述*", "机加工车间每天产生约 20 吨含油废水，现有气浮工艺运行成本高。", "必填。"),
            ("应用场景", "机械加工车间", ""),
            ("技术指标", "出水含油量 ≤ 5 mg/L", ""),
            ("合作方式", "技术开发；转让", ""),
            ("预算下限(元)", "200000", "金额（元），或在“面议”列填“是”。"),
            ("预算上限(元)", "50万", ""),
            ("截止日期", "2027-06-30", "写作 2027-06-30；发布时不能早于今天。"),
            ("关键词", "含油废水、膜分离", ""),
            ("联系人", "刘经理", ""),
            ("联系电话", "13800000000", ""),
        ],
    ),
    "organizations": (
        "单位",
        [
            ("名称*", "示例大学", "必填。"),
            ("单位类型*", "高校", "高校、科研院所、企业、服务机构、投资机构、政府部门。"),
            ("统一社会信用代码", "123200004660072129", "18 位，平台按 GB 32100 校验位检查；有则按代码识别。"),
            ("所在区", "鼓楼区", "南京市各区或江北新区、高新区；南京以外写“南京以外”。"),
            ("地址", "南京市鼓楼区示例路 1 号", ""),
            ("网站", "https://www.example.edu.cn", ""),
            ("简介", "综合性研究型大学。", ""),
            ("联系电话", "025-83590000", ""),
        ],
    ),
}


def template_filename(kind: str) -> str:
    return f"导入模板-{import_kind(kind).template_label}.xlsx"


def template_workbook(kind: str) -> bytes:
    """The template of ``kind`` as .xlsx bytes: a data sheet with one example row and a notes sheet."""
    entry = import_kind(kind)
    label, columns = entry.template_label, entry.template
    headers = [c[0] for c in columns]
    example = [c[1] for c in columns]
    notes = [
        ("说明", "第一张工作表是导入的数据；第二行是示例，导入前请删除或替换。带 * 的列必填。"),
        ("说明", "支持 .xlsx、.csv（UTF-8 或 GB18030）、.tsv 和 .jsonl；列名也可用英文字段名。"),
        ("说明", "每行单独检查：有问题的行被拒绝并给出行号和原因，其他行照常导入。"),
    ]
    notes += [(c[0], c[2]) for c in columns if c[2]]
    notes += list(entry.notes)
    return workbook_bytes(
        [
            Sheet(label, headers, [example], mask_contacts=False),
            Sheet("填写说明", ["列", "说明"], notes, mask_contacts=False),
        ]
    )


def vocabulary_notes() -> tuple[tuple[str, str], ...]:
    """The notes of the listing templates: the industry fields and deal modes a row may name."""
    return (
        ("行业领域可选值", "；".join(name for _code, name, _en in vocab.INDUSTRY_FIELDS)),
        ("交易方式可选值", "；".join(name for _code, name, _en in vocab.DEAL_MODES)),
    )
