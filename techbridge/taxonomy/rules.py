"""A transparent first guess of a listing's industry fields from its words and discipline.

Used when a record arrives without fields (demo data, imports). It is a rule table, shown as such;
the trained classifier of the mining app replaces it where it is available.
"""

from __future__ import annotations

import re

# field code -> pattern over title, keywords and summary
FIELD_PATTERNS: dict[str, str] = {
    "ic": r"集成电路|芯片|半导体|晶体管|CMOS|FPGA|封装|晶圆|MOSFET|存储器",
    "life-health": r"医|药|病|临床|患者|细胞|基因|蛋白|抗体|疫苗|肿瘤|健康|诊断|中药|牙|口腔",
    "nev": r"电动汽车|新能源汽车|动力电池|锂离子电池|锂电|充电桩|电池管理|燃料电池|混合动力|整车",
    "beidou": r"北斗|卫星|导航|GNSS|GPS|遥感|定位",
    "rail": r"轨道交通|地铁|高铁|铁路|列车|动车|城轨|轨道",
    "laser": r"激光|光电|光纤|光学|光谱|红外|成像|光子",
    "network": r"通信|5G|无线|信道|天线|网络|基站|调制|信号处理|路由",
    "materials": r"膜|催化|化工|高分子|聚合物|复合材料|涂层|纳米|合金|陶瓷|树脂|纤维",
    "environment": r"污水|废水|污染|环境|排放|脱硫|脱硝|固废|降解|生态|土壤修复|大气",
    "software": r"软件|算法|数据挖掘|大数据|人工智能|深度学习|机器学习|神经网络|模型|信息系统|云计算",
    "smart-grid": r"电网|配电|输电|变电|电力|储能|光伏|风电|逆变器|电能",
    "iot": r"物联网|传感器|RFID|无线传感|智能家居|远程监测|监控系统",
    "manufacturing": r"机器人|数控|机床|加工|制造|自动化|焊接|装配|控制器|机械|液压",
    "agriculture": r"作物|种植|栽培|品种|养殖|饲料|果树|蔬菜|水稻|小麦|玉米|病虫|农药|畜禽|水产|林木",
}

DISCIPLINE_FIELDS: dict[str, str] = {
    "电子科学与技术": "ic",
    "基础医学/临床医学": "life-health",
    "药学": "life-health",
    "中医学/中药学": "life-health",
    "口腔医学": "life-health",
    "公共卫生与预防医学": "life-health",
    "生物学/生物科学与工程": "life-health",
    "食品科学与工程": "life-health",
    "交通运输工程": "rail",
    "测绘科学与技术": "beidou",
    "航空宇航科学与技术": "beidou",
    "光学工程": "laser",
    "物理学": "laser",
    "信息与通信工程": "network",
    "材料科学与工程": "materials",
    "化学/化学工程与技术": "materials",
    "纺织科学与工程": "materials",
    "冶金工程": "materials",
    "环境科学与工程": "environment",
    "大气科学": "environment",
    "海洋科学": "environment",
    "计算机科学与技术": "software",
    "电气工程": "smart-grid",
    "动力工程及工程热物理": "smart-grid",
    "核科学与技术": "smart-grid",
    "控制科学与工程": "manufacturing",
    "机械工程": "manufacturing",
    "力学": "manufacturing",
    "兵器科学与技术": "manufacturing",
    "船舶与海洋工程": "manufacturing",
    "矿业工程": "manufacturing",
    "石油与天然气工程": "materials",
    "作物学": "agriculture",
    "园艺学": "agriculture",
    "水产": "agriculture",
    "林学/林业工程": "agriculture",
    "畜牧学/兽医学": "agriculture",
    "农业资源利用": "agriculture",
    "植物保护": "agriculture",
    "农业工程": "agriculture",
}

_COMPILED = {code: re.compile(p, re.IGNORECASE) for code, p in FIELD_PATTERNS.items()}


def guess_fields(title: str, keywords: str, summary: str, discipline: str = "", limit: int = 2) -> list[str]:
    """Up to ``limit`` field codes, strongest first; ``["other"]`` when nothing fits.

    Words in the title and keywords weigh three times as much as words in the summary.
    """
    scores: dict[str, int] = {}
    head = f"{title} {keywords}"
    for code, rx in _COMPILED.items():
        s = 3 * len(rx.findall(head)) + len(rx.findall(summary or ""))
        if s:
            scores[code] = s
    prior = DISCIPLINE_FIELDS.get(discipline)
    if prior:
        scores[prior] = scores.get(prior, 0) + 3
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    codes = [code for code, s in ranked if s >= 2][:limit]
    return codes or ["other"]
