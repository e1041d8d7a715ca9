"""The demo listings: the repository's ``data/`` files turned into importer rows.

Everything here is real public data (CSL paper metadata, Chinese patent records and titles) or sample
demands written by the platform team, loaded as published demo listings of clearly marked demo
organisations. See ``data/LICENSES.md`` for where each file comes from.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.achievements.choices import TITLE_ONLY_PREFIX
from techbridge.core.workflow import Source
from techbridge.lib import text
from techbridge.organizations.choices import District, OrgKind
from techbridge.taxonomy import rules, vocab
from techbridge.taxonomy.models import DealMode, Discipline, IndustryField

from .importers.base import ImportReport, Progress, Row
from .importers.listings import AchievementImporter, DemandImporter
from .readers import BadLine, ImportFileError, count_rows, read_rows

CSL_FILE = Path("csl") / "csl_records.jsonl"
PATENT_RECORDS_FILE = Path("cn_patent_records_sample") / "patent_records.jsonl"
PATENT_TITLES_FILE = Path("cn_patent_ipc_titles") / "patent_titles_ipc.tsv"
DEMANDS_FILE = Path("demo") / "sample_demands.jsonl"

# Demo organisations are spread over Nanjing's districts and zones, in this order.
NANJING_DISTRICTS = [
    District.XUANWU, District.QINHUAI, District.JIANYE, District.GULOU, District.PUKOU, District.QIXIA,
    District.YUHUATAI, District.JIANGNING, District.LUHE, District.LISHUI, District.GAOCHUN,
    District.JIANGBEI, District.HIGHTECH,
]  # fmt: skip

IPC_SECTIONS = {
    "A": "人类生活必需",
    "B": "作业、运输",
    "C": "化学、冶金",
    "D": "纺织、造纸",
    "E": "固定建筑物",
    "F": "机械工程、照明、加热、武器、爆破",
    "G": "物理",
    "H": "电学",
}

PUBLICATION_KINDS = {
    "A": ("invention_patent", "发明专利申请公布"),
    "B": ("invention_patent", "发明专利授权公告"),
    "U": ("utility_model", "实用新型专利授权公告"),
}

PATENT_INSTITUTE = "中科大数据研究院"

# IPC prefix → industry field, for patents whose title names no field (most of the title-only records).
# The longest matching prefix wins. A rule table like taxonomy.rules, kept here while only the demo uses it.
IPC_FIELDS = {
    "H01L": "ic", "H10": "ic", "G11C": "ic",
    "A61": "life-health", "C12": "life-health", "C07K": "life-health", "G16H": "life-health",
    "A23": "life-health",
    "B60L": "nev", "B60K": "nev", "B60W": "nev", "H01M": "nev",
    "G01S": "beidou", "G01C": "beidou", "B64G": "beidou",
    "B61": "rail", "E01B": "rail",
    "H01S": "laser", "G02B": "laser", "G02F": "laser", "G01J": "laser",
    "H04": "network", "H01Q": "network",
    "B01D": "materials", "B01J": "materials", "C08": "materials", "C09": "materials", "C01": "materials",
    "C22": "materials", "C23": "materials",
    "C02F": "environment", "B09": "environment", "F23G": "environment",
    "G06": "software",
    "H02J": "smart-grid", "H02H": "smart-grid", "H02B": "smart-grid", "H02G": "smart-grid",
    "G01R": "smart-grid",
    "G08B": "iot", "G08C": "iot",
    "B25J": "manufacturing", "B23": "manufacturing", "B21": "manufacturing", "B22": "manufacturing",
    "G05B": "manufacturing", "B65G": "manufacturing", "B24": "manufacturing", "B26": "manufacturing",
    "A01": "agriculture",
}  # fmt: skip

DISCIPLINE_ORG_NOTE = (
    "演示数据：本单位是演示用的虚拟学科组，汇集 CSL 中文科技文献数据集（ydli-ai/CSL，Apache-2.0）中"
    "该学科的论文元数据。成果简介为期刊论文摘要原文，不代表任何真实单位的可转化成果。"
)
PATENT_ORG_NOTE = (
    "演示数据：按 IPC 部汇集的公开专利著录记录（专利名称、公开号、IPC 分类号），"
    "来源为 lxingy3/chinese-patent-ipc-classifier。专利权人未知，本单位为演示用虚拟单位。"
)
INSTITUTE_NOTE = (
    "演示数据：以下 10 件专利的著录信息来自公开专利数据（Pinellia-0/PatentSemantix 中的导出样例），"
    "申请人为中科大数据研究院（河南郑州）。该单位并未在本平台注册，仅作演示。"
)


def default_data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def _district(position: int) -> str:
    return NANJING_DISTRICTS[position % len(NANJING_DISTRICTS)]


def discipline_org_name(discipline: str) -> str:
    return f"示例高校·{discipline}学科组"


def ipc_org_name(section: str) -> str:
    return f"示例专利权人·{section} {IPC_SECTIONS.get(section, '其他')}"


# ---- rows from each source -----------------------------------------------------------------------


def csl_rows(path: Path, limit: int | None = None) -> Iterator[Row]:
    """CSL paper records as achievements (type other, TRL not assessed, price negotiable)."""
    disciplines = list(vocab.DISCIPLINES)
    for line, rec in islice(read_rows(path), limit):
        if isinstance(rec, BadLine):
            yield line, rec
            continue
        discipline = rec.get("discipline", "")
        keywords = rec.get("keywords") or []
        abstract = rec.get("abstract", "")
        position = disciplines.index(discipline) if discipline in disciplines else 0
        yield (
            line,
            {
                "external_id": rec.get("id", ""),
                "title": rec.get("title", ""),
                "kind": "other",
                "summary": abstract,
                "keywords": keywords,
                "discipline": discipline,
                "fields": rules.guess_fields(rec.get("title", ""), " ".join(keywords), abstract, discipline),
                "price_negotiable": True,
                "owner": discipline_org_name(discipline),
                "owner_kind": OrgKind.UNIVERSITY,
                "district": _district(position),
                "owner_description": DISCIPLINE_ORG_NOTE,
            },
        )


def patent_record_rows(path: Path, limit: int | None = None) -> Iterator[Row]:
    """The 10 full patent records of 中科大数据研究院 as patent achievements with their first claim."""
    from techbridge.lib import patents

    for line, rec in islice(read_rows(path), limit):
        if isinstance(rec, BadLine):
            yield line, rec
            continue
        kind_text = str(rec.get("专利类型", ""))
        kind = "utility_model" if "实用新型" in kind_text else "invention_patent"
        numbers = []
        for key in ("公开号", "授权公告号", "申请号"):
            number = str(rec.get(key) or "").strip()
            if number and number not in numbers and patents.is_patent_number(number):
                numbers.append(number)
        subclasses = []
        for code in str(rec.get("分类号") or rec.get("主分类号") or "").split(";"):
            sub = code.strip()[:4]
            if sub and sub not in subclasses:
                subclasses.append(sub)
        title = rec.get("专利名称", "")
        abstract = str(rec.get("申请摘要", "")).strip()
        facts = "；".join(
            part
            for part in (
                f"申请号 {rec.get('申请号')}" if rec.get("申请号") else "",
                f"申请日 {_date(rec.get('申请日'))}" if rec.get("申请日") else "",
                f"法律状态（来源数据导出时）：{rec.get('法律状态')}" if rec.get("法律状态") else "",
                f"分类号 {rec.get('分类号')}" if rec.get("分类号") else "",
            )
            if part
        )
        yield (
            line,
            {
                "external_id": rec.get("申请号", ""),
                "title": title,
                "kind": kind,
                "summary": f"{abstract}\n\n{facts}。" if facts else abstract,
                "detail": str(rec.get("主权项", "")).strip(),
                "team": "、".join(n.strip() for n in str(rec.get("发明人", "")).split(";") if n.strip()),
                "patent_numbers": numbers,
                "ipc_codes": subclasses,
                "fields": patent_fields(title, abstract, subclasses),
                "price_negotiable": True,
                "owner": PATENT_INSTITUTE,
                "owner_kind": OrgKind.INSTITUTE,
                "district": District.OUTSIDE,
                "owner_description": INSTITUTE_NOTE,
            },
        )


def patent_title_rows(path: Path, limit: int | None = None) -> Iterator[Row]:
    """Patent bibliographic records (title, publication number, IPC subclasses only)."""
    sections = list(IPC_SECTIONS)
    for line, rec in islice(read_rows(path), limit):
        if isinstance(rec, BadLine):
            yield line, rec
            continue
        number = str(rec.get("publication_numbers", "")).split("|")[0].strip()
        kind, kind_label = PUBLICATION_KINDS.get(number[-1:], ("other", "专利文献"))
        subclasses = [c.strip() for c in str(rec.get("ipc_subclasses", "")).split("|") if c.strip()]
        section = subclasses[0][0] if subclasses else "?"
        title = str(rec.get("title", "")).strip()
        summary = (
            f"{TITLE_ONLY_PREFIX}本条只有专利名称、公开号和 IPC 分类号，没有摘要和权利要求。"
            f"专利名称：{title}；公开号：{number}（{kind_label}）；IPC 分类：{'、'.join(subclasses)}。"
            f"技术内容请查阅国家知识产权局公布的专利文本。"
        )
        yield (
            line,
            {
                "external_id": number,
                "title": title,
                "kind": kind,
                "summary": summary,
                "patent_numbers": [number],
                "ipc_codes": subclasses,
                "fields": patent_fields(title, "", subclasses),
                "price_negotiable": True,
                "owner": ipc_org_name(section),
                "owner_kind": OrgKind.ENTERPRISE,
                "district": _district(sections.index(section) if section in sections else 0),
                "owner_description": PATENT_ORG_NOTE,
            },
        )


def patent_fields(title: str, abstract: str, ipc_subclasses: list[str], limit: int = 2) -> list[str]:
    """Fields guessed from the words first; when the words name none, from the IPC subclasses."""
    fields = rules.guess_fields(title, "", abstract, limit=limit)
    if fields != ["other"]:
        return fields
    found: list[str] = []
    for code in ipc_subclasses:
        prefixes = [p for p in IPC_FIELDS if code.startswith(p)]
        if prefixes:
            field_code = IPC_FIELDS[max(prefixes, key=len)]
            if field_code not in found:
                found.append(field_code)
    return found[:limit] or ["other"]


def demand_rows(path: Path, limit: int | None = None) -> Iterator[Row]:
    """The sample demands, as written (they already use the importer's column names)."""
    yield from islice(read_rows(path), limit)


def _date(value: Any) -> str:
    digits = str(value)
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) == 8 and digits.isdigit() else digits


# ---- the whole load ----------------------------------------------------------------------------


@dataclass
class DemoPart:
    label: str
    path: Path
    rows: Callable[[Path, int | None], Iterator[Row]]
    importer: type[AchievementImporter] | type[DemandImporter]


@dataclass
class DemoResult:
    reports: list[tuple[str, ImportReport]] = field(default_factory=list)
    seconds: float = 0.0


def demo_parts(data_dir: Path) -> list[DemoPart]:
    return [
        DemoPart(_("CSL papers"), data_dir / CSL_FILE, csl_rows, AchievementImporter),
        DemoPart(
            _("Patent records"), data_dir / PATENT_RECORDS_FILE, patent_record_rows, AchievementImporter
        ),
        DemoPart(_("Patent titles"), data_dir / PATENT_TITLES_FILE, patent_title_rows, AchievementImporter),
        DemoPart(_("Sample demands"), data_dir / DEMANDS_FILE, demand_rows, DemandImporter),
    ]


def ensure_vocabularies() -> None:
    """Make sure the industry fields, disciplines and deal modes exist (idempotent, no-op when they do)."""
    with transaction.atomic():
        for order, (code, name, name_en) in enumerate(vocab.INDUSTRY_FIELDS):
            IndustryField.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "order": order}
            )
        for name, category in vocab.DISCIPLINES.items():
            Discipline.objects.get_or_create(name=name, defaults={"category": category})
        for order, (code, name, name_en) in enumerate(vocab.DEAL_MODES):
            DealMode.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "order": order}
            )


def teach_search_words(data_dir: Path, limit: int | None = None) -> int:
    """Add the listings' keywords and the industry-field names to jieba before anything is indexed."""
    words: set[str] = set()
    for _code, name, _en in vocab.INDUSTRY_FIELDS:
        words.add(name)
        words.update(part for part in name.split("/") if part)
    for path in (data_dir / CSL_FILE, data_dir / DEMANDS_FILE):
        if not path.is_file():
            continue
        for _line, rec in islice(read_rows(path), limit):
            keywords = rec.get("keywords") or []
            if isinstance(keywords, str):
                keywords = text.split_list(keywords)
            words.update(str(k) for k in keywords)
    text.add_words(sorted(words))
    return len(words)


def load_demo(
    data_dir: Path | None = None,
    *,
    limit: int | None = None,
    progress_factory: Callable[[str, int | None], Any] | None = None,
) -> DemoResult:
    """Load all the demo listings, published, as ``source=demo`` and ``is_demo`` everywhere.

    Idempotent: a second run finds every row unchanged and writes nothing. ``limit`` takes only the
    first rows of each file (tests). ``progress_factory(label, total)`` returns a progress bar with
    ``update(n)`` and ``close()``. Raises ``ImportFileError`` when a data file is missing or unreadable.
    """
    data_dir = Path(data_dir or default_data_dir())
    started = time.monotonic()
    parts = demo_parts(data_dir)
    for part in parts:
        if not part.path.is_file():
            raise ImportFileError(_("Demo data file missing: %(path)s") % {"path": part.path})
    ensure_vocabularies()
    teach_search_words(data_dir, limit)
    result = DemoResult()
    for part in parts:
        total = count_rows(part.path)
        if limit is not None and total is not None:
            total = min(total, limit)
        bar = progress_factory(part.label, total) if progress_factory else None
        name = (
            part.path.relative_to(data_dir.parent) if part.path.is_relative_to(data_dir.parent) else part.path
        )
        importer = part.importer(source=Source.DEMO, publish=True, file_name=str(name))
        progress: Progress | None = bar.update if bar is not None else None
        try:
            report = importer.run(part.rows(part.path, limit), progress=progress)
        finally:
            if bar is not None:
                bar.close()
        result.reports.append((part.label, report))
    result.seconds = time.monotonic() - started
    return result
