"""Import achievements, demands and organisations from rows (files, demo data, other platforms).

What an import guarantees:

- **Every row is checked** the way the platform checks a form (the model's ``full_clean``) plus the
  vocabularies (industry fields, deal modes, disciplines by code or name), TRL 1–9 or empty, prices ≥ 0
  or 面议, IPC codes and patent numbers. A row that fails is refused with its line number and a reason.
- **A bad row never stops the good ones and never leaves half a record**: each row is written in its
  own savepoint; rows commit in batches (500 by default).
- **Idempotent** by ``(source, external_id)`` (organisations: by credit code, else name and type):
  an unchanged row changes nothing — no write, no audit entry — and a changed row updates the record.
  A row without an external id is identified by its owner and title.
- **Audited**: created rows get ``import_create`` (draft) or ``import_publish`` (from nothing to
  published), updated rows ``import_update`` with the changed fields. An import sets a status only
  when it creates a record; a re-import never republishes what an operator withdrew.
- **Searchable**: after each batch commits, the published rows it created or changed (and any
  published row missing from the index) are indexed in full-text search.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements.choices import AchievementType
from techbridge.achievements.models import Achievement
from techbridge.core import audit
from techbridge.core.fulltext import get_backend
from techbridge.core.models import AuditEntry, FullTextEntry
from techbridge.core.signals import listing_changed, listings_changed_in_bulk
from techbridge.core.workflow import ReviewStatus, Source
from techbridge.demands.models import Demand
from techbridge.lib import credit_code as cc
from techbridge.lib import patents, text
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import DealMode, Discipline, IndustryField

from .models import ImportBatch
from .readers import BadLine, ImportFileError

BATCH_SIZE = 500
KEYWORDS_MAX = 300

Row = tuple[int, dict[str, Any]]
Progress = Callable[[int], Any]


class RowRefused(Exception):
    """A row that cannot be imported; ``reason`` says why in words the file's author can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RefusedRow:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What one import run did. ``refused`` lists every refused row with its line number and reason."""

    kind: str
    source: str
    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    ignored_columns: set[str] = field(default_factory=set)
    indexed: int = 0
    batch_id: int | None = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.refused)

    def summary(self) -> str:
        return _(
            "%(file)s: %(total)s rows — %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(refused)s refused."
        ) % {
            "file": self.file_name,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": len(self.refused),
        }


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


def _header_key(name: str) -> str:
    """Headers match whatever the spacing, case, full-width brackets or required-field stars."""
    name = name.replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return re.sub(r"\s+", "", name).lower()


def _alias_table(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {}
    for canonical, aliases in columns.items():
        for alias in (canonical, *aliases):
            table[_header_key(alias)] = canonical
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
    """The catalogue vocabularies, read once per import: code, name or alias → primary key."""

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


# ---- value parsing ---------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[,，;；、|\n]+")
_TRUE = {"1", "true", "yes", "y", "是", "√", "✓", "对"}
_FALSE = {"0", "false", "no", "n", "否", "×", "不", ""}
NEGOTIABLE_WORDS = {"面议", "协商", "议价", "negotiable"}


class Cells:
    """One row's values by canonical column name, with parsers that refuse bad values clearly."""

    def __init__(self, raw: dict[str, Any], aliases: dict[str, str], ignored: set[str]):
        self.values: dict[str, Any] = {}
        self.headers: dict[str, str] = {}
        for header, value in raw.items():
            canonical = aliases.get(_header_key(header))
            if canonical is None:
                ignored.add(header)
                continue
            self.values[canonical] = value
            self.headers[canonical] = header

    def label(self, name: str) -> str:
        return self.headers.get(name, name)

    def has(self, name: str) -> bool:
        return not _blank(self.values.get(name))

    def text(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return "；".join(str(v).strip() for v in value if str(v).strip())
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def items(self, name: str, *, split_slash: bool = False) -> list[str]:
        value = self.values.get(name)
        if value is None:
            return []
        parts = value if isinstance(value, list | tuple) else _LIST_SPLIT.split(self.text(name))
        out = []
        for part in parts:
            for piece in str(part).split("/") if split_slash else [str(part)]:
                piece = piece.strip()
                if piece and piece not in out:
                    out.append(piece)
        return out

    def boolean(self, name: str) -> bool | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        word = self.text(name).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise RowRefused(
            _("%(column)s: “%(value)s” is not yes or no (use 是 or 否).")
            % {"column": self.label(name), "value": word}
        )

    def amount(self, name: str) -> Decimal | str | None:
        """An amount in yuan; ``"negotiable"`` for 面议; None when empty. Accepts 1,200 and 50万."""
        value = self.values.get(name)
        if _blank(value):
            return None
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        word = re.sub(r"[\s,，¥￥元]", "", str(value))
        if word.lower() in NEGOTIABLE_WORDS:
            return "negotiable"
        factor = Decimal(1)
        if word.endswith("万"):
            word, factor = word[:-1], Decimal(10000)
        try:
            amount = Decimal(word) * factor
        except InvalidOperation:
            raise RowRefused(
                _("%(column)s: “%(value)s” is not an amount in yuan.")
                % {"column": self.label(name), "value": value}
            ) from None
        if not amount.is_finite():
            raise RowRefused(
                _("%(column)s: “%(value)s” is not an amount in yuan.")
                % {"column": self.label(name), "value": value}
            )
        return amount

    def date(self, name: str) -> dt.date | None:
        value = self.values.get(name)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        word = str(value).strip()
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", word) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", word
        )
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise RowRefused(
            _("%(column)s: “%(value)s” is not a date (write 2027-06-30).")
            % {"column": self.label(name), "value": word}
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _keywords(words: list[str]) -> str:
    """Keywords joined with 、, dropping the last ones that would not fit the field."""
    out: list[str] = []
    for word in words:
        if len("、".join([*out, word])) > KEYWORDS_MAX:
            break
        out.append(word)
    return "、".join(out)


def _auto_external_id(owner: str, title: str) -> str:
    digest = hashlib.sha1(f"{owner}\n{title}".encode(), usedforsecurity=False).hexdigest()[:24]
    return f"auto-{digest}"


def format_validation_error(model: type[models.Model], exc: ValidationError) -> str:
    """A ValidationError as one line: “field: message; field: message”, with the fields' own names."""
    if not hasattr(exc, "error_dict"):
        return " ".join(str(m) for m in exc.messages)
    parts = []
    for name, errors in exc.message_dict.items():
        messages = " ".join(errors)
        if name == "__all__":
            parts.append(messages)
            continue
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # a key that is not a field: show it as it is
            label = name
        parts.append(_("%(field)s: %(message)s") % {"field": label, "message": messages})
    return "; ".join(parts)


# ---- owners ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerSpec:
    name: str
    kind: str
    district: str
    description: str


class OwnerDirectory:
    """Finds the organisation a row names; creates approved demo organisations for demo imports.

    Organisations created inside a row's savepoint are only remembered once the row succeeds, so a
    refused row never leaves a cached organisation that was rolled back.
    """

    def __init__(self, *, create_missing: bool, actor: Any, batch: ImportBatch):
        self.create_missing = create_missing
        self.actor = actor
        self.batch = batch
        self._cache: dict[tuple[str, str], Organization] = {}
        self._pending: dict[tuple[str, str], Organization] = {}

    def resolve(self, spec: OwnerSpec) -> Organization:
        key = (spec.name, spec.kind)
        if key in self._cache:
            return self._cache[key]
        qs = Organization.objects.filter(name=spec.name)
        if spec.kind:
            qs = qs.filter(kind=spec.kind)
        found = list(qs[:2])
        if len(found) > 1:
            raise RowRefused(
                _("More than one organisation is called “%(name)s”; give its type in the column 单位类型.")
                % {"name": spec.name}
            )
        if found:
            org = found[0]
        elif self.create_missing:
            org = self._create_demo(spec)
        else:
            raise RowRefused(
                _(
                    "The organisation “%(name)s” is not registered on the platform. Register it or import it "
                    "with --kind organizations first."
                )
                % {"name": spec.name}
            )
        self._pending[key] = org
        return org

    def _create_demo(self, spec: OwnerSpec) -> Organization:
        org = Organization(
            name=spec.name,
            kind=spec.kind,
            district=spec.district,
            description=spec.description
            or _("Demo organisation created by an import; it is not a registered organisation."),
            status=OrgStatus.APPROVED,
            is_demo=True,
        )
        org.full_clean()
        org.save()
        audit.record(
            org,
            "import_approve",
            actor=self.actor,
            from_state="",
            to_state=OrgStatus.APPROVED,
            data={"batch": self.batch.pk, "demo": True},
        )
        return org

    def commit(self) -> None:
        self._cache.update(self._pending)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()


# ---- the importers ---------------------------------------------------------------------------


@dataclass
class Prepared:
    """A parsed row, ready to write: plain field values, many-to-many keys and its identity."""

    line: int
    key: Any
    values: dict[str, Any]
    m2m: dict[str, frozenset[int]] = field(default_factory=dict)
    owner: OwnerSpec | None = None


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class BaseImporter:
    """Runs rows through ``prepare`` → ``write`` in savepoints, batch by batch, and reports."""

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[dict[str, tuple[str, ...]]]

    def __init__(
        self,
        *,
        source: str,
        publish: bool = False,
        actor: Any = None,
        batch_size: int = BATCH_SIZE,
        file_name: str = "",
    ):
        if source not in Source.values:
            raise ValueError(f"Unknown source {source!r}")
        self.source = source
        self.publish = publish
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.batch_size = max(1, batch_size)
        self.file_name = file_name
        self.is_demo = source == Source.DEMO
        self.aliases = _alias_table(self.columns)
        self.vocab = Vocab()
        # Records this run created or changed, for the duplicate check after the run.
        self.changed_pks: list[int] = []

    # hooks -------------------------------------------------------------------------------------

    def prepare(self, line: int, cells: Cells) -> Prepared:
        raise NotImplementedError

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        raise NotImplementedError

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        raise NotImplementedError

    def after_commit(self, touched: list[int], unchanged: list[int], report: ImportReport) -> None:
        """Work for rows once their batch has committed (the search index)."""

    def _audit(self, obj: models.Model, action: str, **kwargs: Any) -> None:
        """An audit entry for a written row, inserted with the rest of its chunk (one INSERT per chunk).

        Entries of a row that is refused after this call are dropped with the row (``_run_chunk``).
        """
        actor = kwargs.pop("actor", None)
        self._pending_audit.append(
            AuditEntry(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
                object_id=str(obj.pk),
                action=action,
                from_state=kwargs.get("from_state", ""),
                to_state=kwargs.get("to_state", ""),
                message=kwargs.get("message", ""),
                data=kwargs.get("data") or {},
            )
        )

    _pending_audit: list[AuditEntry]

    # the run -----------------------------------------------------------------------------------

    def run(
        self, rows: Iterable[Row], *, progress: Progress | None = None, batch: ImportBatch | None = None
    ) -> ImportReport:
        """Import ``rows`` of ``(line_no, dict)``; returns the report. The run is kept as an ImportBatch.

        ``batch``: an ImportBatch already created (a console upload, status running); else one is made.
        A file that turns out unreadable half-way (``ImportFileError``) stops the run after the rows
        read so far were written; the batch is marked failed and the error raised again.
        """
        report = ImportReport(kind=self.kind, source=self.source, file_name=self.file_name)
        if batch is None:
            batch = ImportBatch.objects.create(
                kind=self.kind,
                source=self.source,
                file_name=self.file_name[:300],
                publish=self.publish,
                created_by=self.actor,
                status=ImportBatch.Status.RUNNING,
            )
        self.batch = batch
        report.batch_id = self.batch.pk
        self.owners = OwnerDirectory(create_missing=self.is_demo, actor=self.actor, batch=self.batch)
        self._seen: dict[Any, int] = {}
        try:
            for chunk in _chunks(rows, self.batch_size):
                self._run_chunk(chunk, report, progress)
                self._save_batch(report)
        except ImportFileError as exc:
            report.refused.sort(key=lambda r: r.line)
            self._save_batch(report, status=ImportBatch.Status.FAILED, message=str(exc))
            raise
        report.refused.sort(key=lambda r: r.line)
        self._save_batch(report, status=ImportBatch.Status.FINISHED)
        return report

    def validate(self, rows: Iterable[Row], *, progress: Progress | None = None) -> ImportReport:
        """Check ``rows`` exactly as ``run`` would import them, and write nothing.

        Every row goes through the same parsing, look-ups and model validation inside a transaction
        that is rolled back, so the report (would-be created / updated / unchanged, refused rows with
        line and reason) is what a real run would give against the database as it is now. Raises
        ``ImportFileError`` for an unreadable file.
        """
        report = ImportReport(kind=self.kind, source=self.source, file_name=self.file_name)
        # An unsaved batch: audit entries written during the check carry no batch and are rolled back.
        self.batch = ImportBatch(kind=self.kind, source=self.source, file_name=self.file_name[:300])
        self.owners = OwnerDirectory(create_missing=self.is_demo, actor=self.actor, batch=self.batch)
        self._seen = {}
        self._dry_run = True
        try:
            with transaction.atomic():
                for chunk in _chunks(rows, self.batch_size):
                    self._run_chunk(chunk, report, progress)
                transaction.set_rollback(True)
        finally:
            self._dry_run = False
        report.refused.sort(key=lambda r: r.line)
        return report

    _dry_run = False

    def _run_chunk(self, chunk: list[Row], report: ImportReport, progress: Progress | None) -> None:
        prepared: list[Prepared] = []
        for line, raw in chunk:
            try:
                if isinstance(raw, BadLine):
                    raise RowRefused(raw.reason)
                p = self.prepare(line, Cells(raw, self.aliases, report.ignored_columns))
                if p.key in self._seen:
                    raise RowRefused(
                        _("The same record already appeared on line %(line)s.") % {"line": self._seen[p.key]}
                    )
                self._seen[p.key] = line
                prepared.append(p)
            except RowRefused as exc:
                report.refused.append(RefusedRow(line, exc.reason))
                if progress:
                    progress(1)
        existing = self.fetch_existing(prepared)
        touched: list[int] = []
        unchanged: list[int] = []
        self._pending_audit = []
        with transaction.atomic():
            for p in prepared:
                audit_mark = len(self._pending_audit)
                try:
                    with transaction.atomic():
                        outcome, obj = self.write(p, existing.get(p.key))
                except RowRefused as exc:
                    del self._pending_audit[audit_mark:]
                    self._refuse(report, p.line, exc.reason)
                except ValidationError as exc:
                    del self._pending_audit[audit_mark:]
                    self._refuse(report, p.line, format_validation_error(self.model, exc))
                except (IntegrityError, DataError) as exc:
                    del self._pending_audit[audit_mark:]
                    self._refuse(
                        report, p.line, _("The database refused the row: %(error)s") % {"error": exc}
                    )
                else:
                    self.owners.commit()
                    if outcome == CREATED:
                        report.created += 1
                    elif outcome == UPDATED:
                        report.updated += 1
                    else:
                        report.unchanged += 1
                    if getattr(obj, "status", None) == ReviewStatus.PUBLISHED:
                        (unchanged if outcome == UNCHANGED else touched).append(obj.pk)
                    if outcome != UNCHANGED:
                        self.changed_pks.append(obj.pk)
                if progress:
                    progress(1)
            AuditEntry.objects.bulk_create(self._pending_audit, batch_size=500)
            self._pending_audit = []
        if not self._dry_run:
            self.after_commit(touched, unchanged, report)

    def _refuse(self, report: ImportReport, line: int, reason: str) -> None:
        self.owners.rollback()
        report.refused.append(RefusedRow(line, reason))

    def _save_batch(self, report: ImportReport, *, status: str = "", message: str = "") -> None:
        b = self.batch
        b.created_count, b.updated_count, b.unchanged_count = report.created, report.updated, report.unchanged
        b.refused_count = len(report.refused)
        b.refused_rows = [{"line": r.line, "reason": r.reason} for r in report.refused[: b.MAX_REFUSED_KEPT]]
        fields = ["created_count", "updated_count", "unchanged_count", "refused_count", "refused_rows"]
        if status:
            b.status, b.finished_at, b.message = status, timezone.now(), message
            fields += ["status", "finished_at", "message"]
        b.save(update_fields=fields)


def _add_m2m(obj: models.Model, name: str, pks: Iterable[int]) -> None:
    """Link a new record to ``pks`` in one INSERT (a new record has no links yet)."""
    m2m = obj._meta.get_field(name)
    through = m2m.remote_field.through  # type: ignore[union-attr]
    src, dst = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()  # type: ignore[union-attr]
    through._default_manager.bulk_create([through(**{f"{src}_id": obj.pk, f"{dst}_id": pk}) for pk in pks])


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    try:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
    except ImportFileError:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


class ListingImporter(BaseImporter):
    """Shared by achievements and demands: identity by (source, external_id), owner, publish, index."""

    model: ClassVar[type[Any]]  # Achievement or Demand: a ReviewableListing with search_document()
    owner_field: ClassVar[str]
    owner_column: ClassVar[str]
    default_owner_kind: ClassVar[str]
    search_kind: ClassVar[str]
    m2m_names: ClassVar[tuple[str, ...]]
    forbidden_owner_kinds: ClassVar[frozenset[str]] = frozenset()

    # parsing helpers ---------------------------------------------------------------------------

    def _owner(self, cells: Cells) -> OwnerSpec:
        name = cells.text(self.owner_column)
        if not name:
            raise RowRefused(
                _("The owner organisation is missing (column %(column)s).")
                % {"column": cells.label(self.owner_column)}
            )
        kind = _org_kind(cells, "owner_kind") or ""
        if kind in self.forbidden_owner_kinds:
            raise RowRefused(_("Government departments and the platform operator do not publish demands."))
        if not kind and self.is_demo:
            kind = self.default_owner_kind
        return OwnerSpec(
            name=name[:200],
            kind=kind,
            district=_district(cells, "district"),
            description=cells.text("owner_description"),
        )

    def _codes(
        self, cells: Cells, name: str, table: dict[str, int], names: list[str], what: str
    ) -> frozenset[int]:
        pks = []
        for item in cells.items(name):
            pk = table.get(item) or table.get(item.lower())
            if pk is None:
                raise RowRefused(
                    _("%(column)s: unknown %(what)s “%(value)s”. Use a code or one of: %(allowed)s.")
                    % {"column": cells.label(name), "what": what, "value": item, "allowed": "、".join(names)}
                )
            pks.append(pk)
        return frozenset(pks)

    def _fields(self, cells: Cells) -> frozenset[int]:
        return self._codes(cells, "fields", self.vocab.fields, self.vocab.field_names, _("industry field"))

    def _deal_modes(self, cells: Cells, name: str) -> frozenset[int]:
        return self._codes(cells, name, self.vocab.deal_modes, self.vocab.deal_mode_names, _("deal mode"))

    def _identity(self, cells: Cells, owner: OwnerSpec, title: str) -> str:
        external_id = cells.text("external_id")
        if len(external_id) > 100:
            raise RowRefused(_("The external id is longer than 100 characters."))
        return external_id or _auto_external_id(owner.name, title)

    def _title(self, cells: Cells) -> str:
        title = cells.text("title")
        if not title:
            raise RowRefused(
                _("The title is missing (column %(column)s).") % {"column": cells.label("title")}
            )
        return title

    # writing -----------------------------------------------------------------------------------

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        ids = [p.key for p in prepared]
        if not ids:
            return {}
        qs = self.model._default_manager.filter(source=self.source, external_id__in=ids).prefetch_related(
            *self.m2m_names
        )
        return {obj.external_id: obj for obj in qs}

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        assert p.owner is not None
        owner = self.owners.resolve(p.owner)
        if owner.status in (OrgStatus.REJECTED, OrgStatus.SUSPENDED):
            raise RowRefused(
                _("The organisation “%(name)s” may not publish on the platform at the moment.")
                % {"name": owner.name}
            )
        if owner.kind in self.forbidden_owner_kinds:
            raise RowRefused(_("Government departments and the platform operator do not publish demands."))
        values = {**p.values, f"{self.owner_field}_id": owner.pk}
        if existing is None:
            return CREATED, self._create(p, values, owner)
        return self._update(p, values, existing)

    def _create(self, p: Prepared, values: dict[str, Any], owner: Organization) -> Any:
        if self.publish and owner.status != OrgStatus.APPROVED:
            raise RowRefused(
                _(
                    "The organisation “%(name)s” has not been approved yet, "
                    "so its listings cannot be published."
                )
                % {"name": owner.name}
            )
        now = timezone.now()
        obj = self.model(
            **values,
            source=self.source,
            external_id=p.key,
            is_demo=self.is_demo,
            created_by=self.actor,
            created_at=now,
            updated_at=now,
            content_updated_at=now,
        )
        if self.publish:
            # Published on arrival: the row did not exist, so no state-machine move applies; the
            # audit entry records the entry into "published" the same way a transition would.
            obj.status = ReviewStatus.PUBLISHED
            obj.published_at = now
        self._check(obj)
        obj.save()
        for name, pks in p.m2m.items():
            if pks:
                _add_m2m(obj, name, pks)
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source, "external_id": p.key}
        if self.publish:
            self._audit(
                obj,
                "import_publish",
                actor=self.actor,
                from_state="",
                to_state=ReviewStatus.PUBLISHED,
                data=data,
            )
        else:
            self._audit(obj, "import_create", actor=self.actor, to_state=obj.status, data=data)
        return obj

    def _update(self, p: Prepared, values: dict[str, Any], obj: Any) -> tuple[str, Any]:
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        m2m_changed = [name for name, pks in p.m2m.items() if {x.pk for x in getattr(obj, name).all()} != pks]
        if not changed and not m2m_changed:
            return UNCHANGED, obj
        now = timezone.now()
        for key in changed:
            setattr(obj, key, values[key])
        obj.content_updated_at = now
        obj.updated_at = now
        obj.stale_since = None
        self._check(obj)
        names = [obj._meta.get_field(k.removesuffix("_id")).name if k.endswith("_id") else k for k in changed]
        obj.save(update_fields=[*names, "content_updated_at", "updated_at", "stale_since"])
        for name in m2m_changed:
            getattr(obj, name).set(p.m2m[name])
        self._audit(
            obj,
            "import_update",
            actor=self.actor,
            data={"batch": self.batch.pk, "line": p.line, "fields": sorted(names + m2m_changed)},
        )
        return UPDATED, obj

    def _check(self, obj: Any) -> None:
        """The model's own validation (field validators, choices, ``clean``), as a form would run it.

        Two parts of ``full_clean`` are left out because they would only repeat, one query at a time,
        what is already known: the foreign keys this importer looked up itself, and the constraint
        checks — ``(source, external_id)`` is matched before writing, the check constraints restate
        rules of ``clean``, and the database still enforces every one of them (a violation refuses
        the row).
        """
        obj.full_clean(exclude=[self.owner_field, "discipline", "created_by"], validate_constraints=False)

    def after_commit(self, touched: list[int], unchanged: list[int], report: ImportReport) -> None:
        """Index what this batch published or changed, and any published row the index is missing."""
        pks = list(touched)
        if unchanged:
            present = set(
                FullTextEntry.objects.filter(kind=self.search_kind, object_id__in=unchanged).values_list(
                    "object_id", flat=True
                )
            )
            pks += [pk for pk in unchanged if pk not in present]
        if not pks:
            return
        related = [self.owner_field] + (["discipline"] if self.model is Achievement else [])
        objs = list(
            self.model._default_manager.filter(pk__in=pks, status=ReviewStatus.PUBLISHED)
            .select_related(*related)
            .prefetch_related("fields")
        )
        text.add_words(w for o in objs for w in o.keyword_list)
        report.indexed += get_backend().index_many(
            self.search_kind, [(o.pk, o.search_document()) for o in objs]
        )
        # The same promise the catalogue's sync tasks keep: listeners (matching, mining) hear of every
        # listing whose search entry was brought up to date.
        for o in objs:
            listing_changed.send(sender=self.model, pk=o.pk, published=True, bulk=True)
        if objs:
            listings_changed_in_bulk.send(sender=self.model, pks=[o.pk for o in objs])


class AchievementImporter(ListingImporter):
    """Achievements (科技成果) from rows; the owner column names a university, institute or company."""

    kind = "achievements"
    model = Achievement
    columns = ACHIEVEMENT_COLUMNS
    owner_field = "owner"
    owner_column = "owner"
    default_owner_kind = OrgKind.UNIVERSITY
    search_kind = "achievement"
    m2m_names = ("fields", "deal_modes")

    def prepare(self, line: int, cells: Cells) -> Prepared:
        title = self._title(cells)
        owner = self._owner(cells)
        price = cells.amount("price")
        negotiable = cells.boolean("price_negotiable")
        if price == "negotiable":
            price, negotiable = None, True
        if negotiable is None:
            negotiable = price is None
        values = {
            "title": title,
            "kind": _achievement_kind(cells),
            "discipline_id": self._discipline(cells),
            "ipc_codes": _ipc_codes(cells),
            "trl": _trl(cells),
            "price_negotiable": negotiable,
            "price": price,
            "patent_numbers": "；".join(n.upper().replace(" ", "") for n in cells.items("patent_numbers")),
            "team": cells.text("team"),
            "contact_name": cells.text("contact_name"),
            "contact_phone": cells.text("contact_phone"),
            "contact_email": cells.text("contact_email"),
            "summary": cells.text("summary"),
            "advantages": cells.text("advantages"),
            "applications": cells.text("applications"),
            "detail": cells.text("detail"),
            "keywords": _keywords(cells.items("keywords")),
            "dual_use": bool(cells.boolean("dual_use")),
        }
        return Prepared(
            line=line,
            key=self._identity(cells, owner, title),
            values=values,
            m2m={"fields": self._fields(cells), "deal_modes": self._deal_modes(cells, "deal_modes")},
            owner=owner,
        )

    def _discipline(self, cells: Cells) -> int | None:
        name = cells.text("discipline")
        if not name:
            return None
        pk = self.vocab.disciplines.get(name)
        if pk is None:
            raise RowRefused(
                _("%(column)s: unknown discipline “%(value)s”; use one of the 67 national disciplines.")
                % {"column": cells.label("discipline"), "value": name}
            )
        return pk


class PatentImporter(AchievementImporter):
    """Patents (专利) as achievements of a patent type: a valid Chinese patent number is required.

    Rows without an external id are identified by their first patent number, so a patent imported
    twice from the same source is one record.
    """

    kind = "patents"
    columns = PATENT_COLUMNS

    def prepare(self, line: int, cells: Cells) -> Prepared:
        numbers = [n.upper().replace(" ", "") for n in cells.items("patent_numbers")]
        if not numbers:
            raise RowRefused(
                _("The patent number is missing (column %(column)s).")
                % {"column": cells.label("patent_numbers") if cells.has("patent_numbers") else "专利号"}
            )
        bad = [n for n in numbers if not patents.is_patent_number(n)]
        if bad:
            raise RowRefused(
                _(
                    "%(column)s: “%(value)s” is not a Chinese patent number "
                    "(write CN202223220665.2 or CN218751475U)."
                )
                % {"column": cells.label("patent_numbers"), "value": bad[0]}
            )
        if not cells.has("kind"):
            cells.values["kind"] = AchievementType.INVENTION_PATENT
        p = super().prepare(line, cells)
        if p.values["kind"] not in PATENT_KINDS:
            raise RowRefused(
                _("%(column)s: a patent must be an invention patent, a utility model or a design.")
                % {"column": cells.label("kind")}
            )
        if not cells.has("external_id"):
            p.key = numbers[0][:100]
        return p


class DemandImporter(ListingImporter):
    """Technology demands (技术需求) from rows; the enterprise column names the demanding company."""

    kind = "demands"
    model = Demand
    columns = DEMAND_COLUMNS
    owner_field = "enterprise"
    owner_column = "enterprise"
    default_owner_kind = OrgKind.ENTERPRISE
    search_kind = "demand"
    m2m_names = ("fields", "cooperation_modes")
    forbidden_owner_kinds = frozenset({OrgKind.GOVERNMENT, OrgKind.OPERATOR})

    def prepare(self, line: int, cells: Cells) -> Prepared:
        title = self._title(cells)
        owner = self._owner(cells)
        low, high = cells.amount("budget_min"), cells.amount("budget_max")
        negotiable = cells.boolean("budget_negotiable")
        if "negotiable" in (low, high):
            low, high, negotiable = None, None, True
        if negotiable is None:
            negotiable = low is None and high is None
        deadline = cells.date("deadline")
        if self.publish and deadline and deadline < timezone.localdate():
            raise RowRefused(
                _("%(column)s: the deadline %(date)s has passed; a demand cannot be published after it.")
                % {"column": cells.label("deadline"), "date": deadline.isoformat()}
            )
        values = {
            "title": title,
            "problem": cells.text("problem"),
            "setting": cells.text("setting"),
            "indicators": cells.text("indicators"),
            "budget_negotiable": negotiable,
            "budget_min": low,
            "budget_max": high,
            "deadline": deadline,
            "keywords": _keywords(cells.items("keywords")),
            "contact_name": cells.text("contact_name"),
            "contact_phone": cells.text("contact_phone"),
            "contact_email": cells.text("contact_email"),
        }
        return Prepared(
            line=line,
            key=self._identity(cells, owner, title),
            values=values,
            m2m={
                "fields": self._fields(cells),
                "cooperation_modes": self._deal_modes(cells, "cooperation_modes"),
            },
            owner=owner,
        )


class OrganizationImporter(BaseImporter):
    """Organisations from rows, identified by credit code, else by name and type.

    New organisations await review, unless the import publishes (``--publish``) or is demo data:
    then they arrive approved, with an ``import_approve`` audit entry.
    """

    kind = "organizations"
    model = Organization
    columns = ORGANIZATION_COLUMNS

    def prepare(self, line: int, cells: Cells) -> Prepared:
        name = cells.text("name")
        if not name:
            raise RowRefused(_("The name is missing (column %(column)s).") % {"column": cells.label("name")})
        kind = _org_kind(cells, "kind")
        if not kind:
            raise RowRefused(
                _("The type of organisation is missing (column %(column)s).") % {"column": "单位类型"}
            )
        code = cc.normalise(cells.text("credit_code")) or None
        values = {
            "name": name,
            "kind": kind,
            "credit_code": code,
            "district": _district(cells, "district"),
            "address": cells.text("address"),
            "website": cells.text("website"),
            "description": cells.text("description"),
            "contact_phone": cells.text("contact_phone"),
        }
        key = ("code", code) if code else ("name", name, kind)
        return Prepared(line=line, key=key, values=values)

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        codes = [p.values["credit_code"] for p in prepared if p.values["credit_code"]]
        names = [p.values["name"] for p in prepared]
        found: dict[Any, Any] = {}
        for org in Organization.objects.filter(models.Q(credit_code__in=codes) | models.Q(name__in=names)):
            if org.credit_code:
                found[("code", org.credit_code)] = org
            found[("name", org.name, org.kind)] = org
        # A row with a code also matches an organisation registered by name and type without a code.
        for p in prepared:
            if p.key[0] == "code" and p.key not in found:
                by_name = found.get(("name", p.values["name"], p.values["kind"]))
                if by_name is not None and not by_name.credit_code:
                    found[p.key] = by_name
        return found

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source}
        if existing is None:
            approved = self.publish or self.is_demo
            org = Organization(
                **p.values, is_demo=self.is_demo, status=OrgStatus.APPROVED if approved else OrgStatus.PENDING
            )
            org.full_clean()
            org.save()
            if approved:
                self._audit(
                    org, "import_approve", actor=self.actor, from_state="", to_state=org.status, data=data
                )
            else:
                self._audit(org, "import_create", actor=self.actor, to_state=org.status, data=data)
            return CREATED, org
        # An import fills in and corrects profile details; it never changes an organisation's status.
        values = {k: v for k, v in p.values.items() if not (_blank(v) and k != "credit_code")}
        if values.get("credit_code") is None:
            values.pop("credit_code", None)
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        if not changed:
            return UNCHANGED, existing
        for key in changed:
            setattr(existing, key, values[key])
        existing.updated_at = timezone.now()
        existing.full_clean()
        existing.save(update_fields=[*changed, "updated_at"])
        self._audit(existing, "import_update", actor=self.actor, data={**data, "fields": sorted(changed)})
        return UPDATED, existing


IMPORTERS: dict[str, type[BaseImporter]] = {
    AchievementImporter.kind: AchievementImporter,
    PatentImporter.kind: PatentImporter,
    DemandImporter.kind: DemandImporter,
    OrganizationImporter.kind: OrganizationImporter,
}


def import_file(
    path: str | Path,
    *,
    kind: str,
    source: str,
    publish: bool = False,
    actor: Any = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file of ``kind`` (achievements, demands, organizations) and return the report.

    Raises ``ImportFileError`` when the file cannot be read; refused rows are in the report.
    """
    from .readers import read_rows

    rows = read_rows(path)
    importer = IMPORTERS[kind](
        source=source, publish=publish, actor=actor, batch_size=batch_size, file_name=Path(path).name
    )
    return importer.run(rows, progress=progress)


# ---- single-value parsers ----------------------------------------------------------------------

# ``Choices.values`` builds a new list on every access; these are read once per row.
_ACHIEVEMENT_TYPES = frozenset(AchievementType.values)
_ORG_KINDS = frozenset(OrgKind.values)
_DISTRICTS = frozenset(District.values)


def _achievement_kind(cells: Cells) -> str:
    word = cells.text("kind")
    if not word:
        return AchievementType.OTHER
    if word.lower() in _ACHIEVEMENT_TYPES:
        return word.lower()
    if word in KIND_NAMES:
        return KIND_NAMES[word]
    for value, label in AchievementType.choices:
        if word.lower() == str(label).lower():
            return value
    raise RowRefused(
        _("%(column)s: unknown type “%(value)s”. Use one of: %(allowed)s.")
        % {"column": cells.label("kind"), "value": word, "allowed": "、".join(KIND_NAMES)}
    )


def _org_kind(cells: Cells, name: str) -> str | None:
    word = cells.text(name)
    if not word:
        return None
    if word.lower() in _ORG_KINDS:
        return word.lower()
    if word in ORG_KIND_NAMES:
        return ORG_KIND_NAMES[word]
    raise RowRefused(
        _("%(column)s: unknown type of organisation “%(value)s”. Use one of: %(allowed)s.")
        % {"column": cells.label(name), "value": word, "allowed": "、".join(ORG_KIND_NAMES)}
    )


def _district(cells: Cells, name: str) -> str:
    word = cells.text(name)
    if not word:
        return ""
    if word.lower() in _DISTRICTS:
        return word.lower()
    trimmed = word.removeprefix("南京市")
    for candidate in (word, trimmed, trimmed.removesuffix("区")):
        if candidate in DISTRICT_NAMES:
            return DISTRICT_NAMES[candidate]
    raise RowRefused(
        _("%(column)s: unknown district “%(value)s”. Use a Nanjing district such as 玄武区 or 江北新区.")
        % {"column": cells.label(name), "value": word}
    )


def _trl(cells: Cells) -> int | None:
    value = cells.values.get("trl")
    if _blank(value):
        return None
    word = cells.text("trl").upper()
    match = re.fullmatch(r"(?:TRL\s*)?(\d+)(?:\.0+)?\s*级?", word)
    level = int(match.group(1)) if match else None
    if level is None or not 1 <= level <= 9:
        raise RowRefused(
            _(
                "%(column)s: “%(value)s” is not a technology readiness level; "
                "use a whole number from 1 to 9, or leave it empty when not assessed."
            )
            % {"column": cells.label("trl"), "value": cells.text("trl")}
        )
    return level


def _ipc_codes(cells: Cells) -> str:
    codes = []
    for item in cells.items("ipc_codes"):
        code = patents.normalise_ipc(item)
        if not patents.is_ipc(code):
            raise RowRefused(
                _("%(column)s: “%(value)s” is not an IPC code. Write codes like H04L or G06F 16/35.")
                % {"column": cells.label("ipc_codes"), "value": item}
            )
        if code not in codes:
            codes.append(code)
    return "；".join(codes)
