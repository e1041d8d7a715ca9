"""Demo data of IP services, from the repository's ``data/`` only (see data/LICENSES.md):

- the 10 full CNIPA-style records of ``cn_patent_records_sample`` into the patent register;
- the 9,740 titles with IPC codes of ``cn_patent_ipc_titles`` as register entries that carry only a
  publication number, a title and IPC codes (type and status read from the publication's kind code,
  and said so on the record: ``legal_status_text``);
- the action plan's IP-intensive industry bases as navigation industries (definitions staff edit);
- the demo service institution as an IP service provider, when the demo accounts exist.

Every patent is ``source=demo`` and ``is_demo``; no figure is invented (dates, applicants and regions
that the files do not give stay empty, and the pages say how many records lack them). Idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core.workflow import Source
from techbridge.imports.importers.base import ImportReport, Row
from techbridge.imports.readers import BadLine, ImportFileError, read_rows

from .importers import PatentRegisterImporter

RECORDS_FILE = Path("cn_patent_records_sample") / "patent_records.jsonl"
TITLES_FILE = Path("cn_patent_ipc_titles") / "patent_titles_ipc.tsv"
INFERRED = "演示数据：仅有公开号、名称和IPC；类型与状态按公开号类型推断"
KIND_CODES = {"A": ("发明", "审中-公开"), "B": ("发明", "有权-授权"), "U": ("实用新型", "有权-授权")}

# The plan's IP-intensive industry bases (task 11), defined by IPC codes and keywords.
BASES = [
    {
        "name": "智能电网",
        "code": "smart-grid",
        "ipc_prefixes": "H02J；H02H；H02B；G01R 31；G06Q 50",
        "keywords": "智能电网；配电网；输电线路；电力系统；变电站；继电保护；储能",
        "order": 10,
    },
    {
        "name": "软件",
        "code": "software",
        "ipc_prefixes": "G06F 8；G06F 9；G06F 16；G06F 21；G06N；G06Q",
        "keywords": "软件；操作系统；数据库；云计算；人工智能；机器学习",
        "order": 20,
    },
    {
        "name": "生物医药",
        "code": "biomedicine",
        "ipc_prefixes": "A61K；A61P；C07K；C12N；C12Q；G01N 33",
        "keywords": "药物；抗体；疫苗；基因；细胞；制剂",
        "order": 30,
    },
    {
        "name": "物联网与未来网络",
        "code": "iot-networks",
        "ipc_prefixes": "H04L；H04W；G08C；G16Y；H04B",
        "keywords": "物联网；传感网络；无线通信；5G；边缘计算；未来网络",
        "order": 40,
    },
]
DEMO_SERVICE_ORG = "示例技术转移服务中心"


def default_data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def title_rows(path: Path, limit: int | None = None) -> Iterator[Row]:
    """Title records as export rows: publication number, title, IPC codes (the rest is unknown)."""
    for line, rec in islice(read_rows(path), limit):
        if isinstance(rec, BadLine):
            yield line, rec
            continue
        number = str(rec.get("publication_numbers", "")).split("|")[0].strip()
        kind, status = KIND_CODES.get(number[-1:], ("", ""))
        yield (
            line,
            {
                "公开(公告)号": number,
                "专利名称": str(rec.get("title", "")).strip(),
                "专利类型": kind,
                "法律状态": status,
                "IPC分类号": ";".join(c for c in str(rec.get("ipc_subclasses", "")).split("|") if c),
            },
        )


class DemoImporter(PatentRegisterImporter):
    follow_up = False

    def prepare(self, line: int, cells: Any) -> Any:
        prepared = super().prepare(line, cells)
        if "cn_patent_ipc_titles" in self.file_name:
            prepared.values["_status_text"] = INFERRED
        return prepared


def load(
    data_dir: Path | None = None, *, limit: int | None = None, progress: Any = None
) -> list[tuple[str, ImportReport]]:
    """Load the demo register and industries; returns the import reports."""
    from .services.navigation import refresh_membership
    from .services.register import link_achievements

    data_dir = Path(data_dir or default_data_dir())
    parts: list[tuple[Path, Any]] = [(RECORDS_FILE, read_rows), (TITLES_FILE, title_rows)]
    for rel, _rows in parts:
        if not (data_dir / rel).is_file():
            raise ImportFileError(_("Demo data file missing: %(path)s") % {"path": data_dir / rel})
    reports = []
    for rel, rows in parts:
        importer = DemoImporter(source=Source.DEMO, file_name=str(Path("data") / rel))
        source = rows(data_dir / rel, limit) if rows is title_rows else islice(rows(data_dir / rel), limit)
        reports.append((str(rel), importer.run(source, progress=progress)))
    industries = ensure_bases()
    for industry in industries:
        refresh_membership(industry.pk)
    from .models import Patent

    link_achievements(Patent.objects.filter(is_demo=True).values_list("pk", flat=True))
    ensure_provider()
    ensure_demo_watch_and_assistance()
    return reports


DEMO_PRODUCT = "示例·农业植保无人机"


def ensure_demo_watch_and_assistance() -> list[str]:
    """The demo enterprise watches a product built from the register's own words (so the first scan
    raises real alerts) and asks the demo provider for infringement assistance about one patent,
    which the provider accepts — all through the services, named 示例·… (idempotent; skipped when
    the demo accounts are missing)."""
    from django.contrib.auth import get_user_model

    from .choices import AssistanceKind
    from .models import AssistanceRequest, Patent, ServiceProvider, WatchedProduct
    from .services.assistance import accept_request, create_request, submit_request
    from .services.warning import register_product, scan_for_product

    users = {u.username: u for u in get_user_model().objects.filter(username__in=("enterprise", "broker"))}
    provider = ServiceProvider.objects.filter(organization__name=DEMO_SERVICE_ORG).first()
    if len(users) != 2 or provider is None:
        return []
    enterprise, broker = users["enterprise"], users["broker"]
    patents = list(Patent.objects.filter(is_demo=True, title__contains="无人机").order_by("pk")[:1]) or list(
        Patent.objects.filter(is_demo=True).order_by("pk")[:1]
    )
    if not patents:
        return []
    patent = patents[0]
    done = []
    if not WatchedProduct.objects.filter(organization=enterprise.organization, name=DEMO_PRODUCT).exists():
        product = register_product(
            actor=enterprise,
            values={
                "name": DEMO_PRODUCT,
                "description": f"演示数据：企业登记的在研产品，用于演示专利预警。参照专利：{patent.title}",
                "keywords": "无人机；植保；喷洒；热成像；巡检",
                "ipc_codes": patent.ipc_main or "",
            },
        )
        scan_for_product(product.pk)
        done.append(DEMO_PRODUCT)
    title = f"示例·涉嫌侵犯专利“{patent.title[:60]}”的维权咨询"
    if not AssistanceRequest.objects.filter(title=title).exists():
        req = create_request(
            actor=enterprise,
            values={
                "kind": AssistanceKind.INFRINGEMENT,
                "title": title,
                "description": "演示数据：企业发现市场上有产品与本专利的技术方案相近，"
                "请求侵权判定咨询与维权援助。",
                "patent_number": patent.application_number,
                "counterparty": "示例·某无人机销售公司",
            },
        )
        submit_request(req, actor=enterprise, provider=provider)
        accept_request(req, actor=broker)
        done.append(title)
    return done


def ensure_bases() -> list[Any]:
    from .models import Industry

    out = []
    with transaction.atomic():
        for spec in BASES:
            industry, _created = Industry.objects.get_or_create(
                code=spec["code"],
                defaults={**spec, "is_base": True, "description": "行动方案任务11：知识产权密集型产业基地。"},
            )
            out.append(industry)
    return out


def ensure_provider() -> None:
    from techbridge.organizations.models import Organization

    from .models import ServiceProvider

    org = Organization.objects.filter(name=DEMO_SERVICE_ORG, is_demo=True).first()
    if org is not None:
        ServiceProvider.objects.get_or_create(
            organization=org,
            defaults={"role": "institution", "description": "演示数据：专利分析、侵权判定咨询与维权援助。"},
        )
