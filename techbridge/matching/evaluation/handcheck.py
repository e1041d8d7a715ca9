"""Demands across the plan's industries, for judging the matcher by hand.

The known-item sets leave little room at the top, so these demands (written for this check, one or
two per strategic industry, some mixing English) run over a corpus of the 3,758 CSL papers and the
4,097 BDCI patents together, and the top three of each method are printed for a person to judge.
Results and judgements are in docs/matching.md.

``python -m techbridge.matching.evaluation.handcheck`` (``DJANGO_SETTINGS_MODULE`` set).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from .. import embeddings
from . import data, harness

DEMANDS = [
    (
        "集成电路",
        "我司做功率器件封装，IGBT模块在高低温循环后焊层开裂、热阻上升，"
        "希望找到提高封装可靠性和散热能力的工艺或材料方案。",
    ),
    (
        "生命健康/生物医药",
        "医院检验科希望建立快速检测幽门螺杆菌的方法，要求操作简单、灵敏度高，能在基层医疗机构推广使用。",
    ),
    (
        "新能源汽车",
        "电动汽车厂需要改进动力电池的热管理，"
        "防止快充时电芯温升过高和热失控，希望有液冷或相变材料的成熟方案。",
    ),
    (
        "北斗导航/卫星应用",
        "物流公司希望利用北斗卫星定位对运输车辆进行高精度实时"
        "定位和轨迹监控，要求在城市高楼环境下定位误差小。",
    ),
    (
        "轨道交通",
        "地铁运营公司需要对钢轨和道岔的伤损进行在线检测与预警，减少人工巡检工作量，提高行车安全。",
    ),
    (
        "先进激光/光电",
        "机械加工企业想用激光对不锈钢薄板进行高速切割和焊接，要求切口质量好、热影响区小。",
    ),
    (
        "通信与未来网络",
        "运营商在5G基站密集部署时需要降低小区间干扰、提升边缘用户的传输速率，寻求资源分配或波束赋形算法。",
    ),
    (
        "膜材料/化工新材料",
        "水处理设备公司希望找到抗污染、通量高的反渗透或超滤膜材料，用于工业废水回用，降低清洗频率。",
    ),
    (
        "环保",
        "印染厂的废水色度高、COD难降解，需要经济有效的深度处理工艺，使出水达到排放标准。",
    ),
    (
        "软件",
        "银行希望利用机器学习对信用卡交易进行实时欺诈识别，要求误报率低、可解释，能处理海量交易数据。",
    ),
    (
        "智能电网",
        "供电公司需要解决分布式光伏接入后配电网电压越限的问题，希望有无功优化或储能配置的方法。",
    ),
    (
        "物联网",
        "养殖场希望部署无线传感器网络，实时监测猪舍温湿度和氨气浓度并自动控制通风，节点要低功耗。",
    ),
    (
        "智能制造",
        "汽车零部件厂需要基于机器视觉的表面缺陷在线检测系统，替代人工目检，识别划痕、凹坑等缺陷。",
    ),
    (
        "现代农业",
        "水稻种植合作社遇到稻瘟病反复发生，希望找到抗病品种或绿色防控技术，减少农药用量。",
    ),
    (
        "软件（中英混合）",
        "We need a 深度学习 model for 遥感影像 land-use classification，要求分类 accuracy 高于90%。",
    ),
]


def corpus() -> list[dict]:
    """CSL papers and BDCI patents as one corpus (patents have no keywords)."""
    records = data.csl_records()
    path = data.shared_data_dir() / "bdci2022_fewshot_patents" / "patents.jsonl"
    for row in data.read_jsonl(path):
        records.append({"id": row["id"], "title": row["title"], "abstract": row["abstract"], "keywords": []})
    return records


def main() -> None:
    import django

    django.setup()
    cache = embeddings.EmbeddingCache(Path(settings.BASE_DIR) / "var/cache/embeddings.sqlite3")
    records = corpus()
    engine = harness.build_engine(records, cache=cache, log=harness.eprint)
    retriever = engine.retriever()
    out = []
    for industry, demand in DEMANDS:
        row: dict = {"industry": industry, "demand": demand}
        for method in ("bm25", "dense", "hybrid"):
            hits = retriever.search(demand, k=3, method=method)
            row[method] = [engine.records[c.id]["title"] for c in hits]
            if method == "hybrid":
                row["shared_terms"] = hits[0].shared_terms if hits else []
        out.append(row)
        print(json.dumps(row, ensure_ascii=False, indent=1), flush=True)
    path = Path(settings.BASE_DIR) / "var/eval/handcheck.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
