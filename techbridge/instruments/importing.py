"""Instruments from Excel or CSV through the imports framework (upload → row report → confirm).

The columns are the names owners' asset registers and the provincial sharing platforms use (仪器名称,
规格型号, 原值, 对外收费 …). A row is identified by its owner and 外部编号 (asset number); without one, by
owner, name and model. Fees are rows of the fee schedule; an unchanged row writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.imports.cells import Cells, RowRefused, auto_external_id, district_of, org_kind
from techbridge.imports.importers.base import (
    CREATED,
    REIMPORTED,
    UNCHANGED,
    UPDATED,
    BaseImporter,
    Prepared,
    add_m2m,
)
from techbridge.imports.owners import OwnerSpec
from techbridge.imports.registry import ImportKind, register_import_kind
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.taxonomy.models import IndustryField

from . import slots
from .choices import CATEGORY_NAMES, AccessMode, Audience, FeeUnit, InstrumentCategory, ResourceKind
from .models import FeeRate, Instrument
from .models.common import MAX_AMOUNT, MAX_RATE

COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("外部编号", "仪器编号", "资产编号", "设备编号"),
    "name": ("仪器名称", "设备名称", "名称"),
    "kind": ("资源类型", "类型"),
    "model_number": ("规格型号", "型号"),
    "maker": ("生产厂家", "制造商", "厂商", "品牌"),
    "category": ("仪器分类", "分类"),
    "owner": ("所属单位", "单位名称", "单位"),
    "owner_kind": ("单位类型",),
    "district": ("所在区", "所在区域", "区"),
    "owner_description": ("单位简介",),
    "lab": ("所在实验室", "实验室", "所属平台"),
    "location": ("安放地址", "存放地点", "地址"),
    "purchase_value": ("原值(元)", "原值", "购置价格(元)", "购置价格"),
    "purchase_year": ("购置年份", "启用年份"),
    "publicly_funded": ("财政资金购置", "是否财政资金购置"),
    "description": ("主要功能", "功能用途", "仪器简介"),
    "specs": ("主要技术指标", "技术指标"),
    "sample_requirements": ("样品要求",),
    "capacity": ("处理能力", "产能"),
    "access": ("使用方式",),
    "fields": ("行业领域", "服务领域", "领域"),
    "internal_hour": ("校内收费(元/机时)", "内部机时价"),
    "external_hour": ("对外收费(元/机时)", "对外机时价"),
    "internal_sample": ("校内收费(元/样)", "内部样品价"),
    "external_sample": ("对外收费(元/样)", "对外样品价"),
    "open_days": ("开放日",),
    "opening_hours": ("开放时间",),
    "slot_minutes": ("预约单位(分钟)", "预约单位"),
    "contact_phone": ("联系电话", "电话"),
}

RATE_COLUMNS = {
    "internal_hour": (Audience.INTERNAL, FeeUnit.HOUR),
    "external_hour": (Audience.EXTERNAL, FeeUnit.HOUR),
    "internal_sample": (Audience.INTERNAL, FeeUnit.SAMPLE),
    "external_sample": (Audience.EXTERNAL, FeeUnit.SAMPLE),
}
KIND_WORDS = {
    "仪器": ResourceKind.INSTRUMENT,
    "仪器设备": ResourceKind.INSTRUMENT,
    "中试线": ResourceKind.PILOT_LINE,
    "中试生产线": ResourceKind.PILOT_LINE,
    "中试基地": ResourceKind.PILOT_LINE,
}
ACCESS_WORDS = {
    "机组操作": AccessMode.OPERATED,
    "专人操作": AccessMode.OPERATED,
    "送样检测": AccessMode.OPERATED,
    "培训后自主使用": AccessMode.SELF_USE,
    "自主使用": AccessMode.SELF_USE,
    "自主上机": AccessMode.SELF_USE,
}
WEEKDAY_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
TEXT_LIMITS = {
    "name": 200,
    "model_number": 100,
    "maker": 100,
    "lab": 100,
    "location": 200,
    "capacity": 200,
    "description": 5000,
    "specs": 5000,
    "sample_requirements": 2000,
    "contact_phone": 40,
}

TEMPLATE: tuple[tuple[str, str, str], ...] = (
    ("外部编号", "NJU-2019-0312", "单位内的资产编号；重复导入按“单位+外部编号”更新，不会重复创建。"),
    ("仪器名称*", "场发射扫描电子显微镜", "必填，200 字以内。"),
    ("资源类型", "仪器", "仪器或中试线；留空为仪器。"),
    ("规格型号", "SU8010", ""),
    ("生产厂家", "日立", ""),
    ("仪器分类", "分析仪器", "国家大型科研仪器分类：" + "、".join(CATEGORY_NAMES) + "。"),
    ("所属单位*", "示例大学", "必填，须为平台上已注册的单位。"),
    ("单位类型", "高校", "同名单位多于一个时必填。"),
    ("所在实验室", "材料分析测试中心", ""),
    ("安放地址", "南京市鼓楼区示例路 1 号 3 号楼 105 室", ""),
    ("原值(元)", "3200000", "金额（元，可写 320万）。"),
    ("购置年份", "2019", ""),
    ("财政资金购置", "是", "是或否。财政资金购置的大型仪器须向社会开放。"),
    ("主要功能", "观察材料表面形貌和断口，配能谱仪做微区成分分析。", "公开展示，检索用。"),
    ("主要技术指标", "分辨率 1.0 nm（15 kV）；放大倍数 20–800,000 倍。", ""),
    ("样品要求", "固体样品，导电或喷金处理，尺寸不大于 10 mm。", ""),
    ("处理能力", "", "中试线填写：单批产能或处理量。"),
    ("使用方式", "培训后自主使用", "机组操作，或培训后自主使用（也可机组操作）。"),
    ("行业领域", "膜材料/化工新材料；集成电路", "多个用；分隔。"),
    ("校内收费(元/机时)", "200", "本单位人员的机时价；留空不收。"),
    ("对外收费(元/机时)", "400", "外单位的机时价。"),
    ("校内收费(元/样)", "", "按样品收费时填写。"),
    ("对外收费(元/样)", "", ""),
    ("开放日", "周一至周五", "如 周一至周五、周一至周六，或数字 12345。"),
    ("开放时间", "08:30-17:30", "每天的开放时间。"),
    ("预约单位(分钟)", "60", "30、60、120、240 或 1440（按天）。"),
    ("联系电话", "025-83590000", ""),
)


def _text(cells: Cells, name: str) -> str:
    value = cells.text(name)
    limit = TEXT_LIMITS.get(name)
    if limit and len(value) > limit:
        raise RowRefused(
            _("%(column)s: at most %(n)s characters.") % {"column": cells.label(name), "n": limit}
        )
    return value


def _amount(cells: Cells, name: str, maximum: Decimal) -> Decimal | None:
    value = cells.amount(name)
    if value is None:
        return None
    if value == "negotiable" or not isinstance(value, Decimal) or value < 0 or value > maximum:
        raise RowRefused(
            _("%(column)s: “%(value)s” is not an amount in yuan.")
            % {"column": cells.label(name), "value": cells.text(name)}
        )
    return value.quantize(Decimal("0.01"))


def _choice(cells: Cells, name: str, words: Mapping[str, str], values: list[str], default: str) -> str:
    word = cells.text(name)
    if not word:
        return default
    if word.lower() in values:
        return word.lower()
    if word in words:
        return words[word]
    raise RowRefused(
        _("%(column)s: unknown value “%(value)s”. Use one of: %(allowed)s.")
        % {"column": cells.label(name), "value": word, "allowed": "、".join(words)}
    )


def parse_weekdays(word: str) -> str | None:
    """“周一至周五” → "12345"; “12345” stays; None when unreadable."""
    word = word.replace(" ", "").replace("星期", "周")
    if re.fullmatch(r"[1-7]{1,7}", word):
        return "".join(sorted(set(word)))
    if word in ("每天", "全天", "全周"):
        return "1234567"
    m = re.fullmatch(r"周([一二三四五六日天])[至到\-~—–]周?([一二三四五六日天])", word)
    if m:
        a, b = WEEKDAY_WORDS[m.group(1)], WEEKDAY_WORDS[m.group(2)]
        if a <= b:
            return "".join(str(d) for d in range(a, b + 1))
        return None
    days = re.findall(r"周([一二三四五六日天])", word)
    if days and "".join(f"周{d}" for d in days) == re.sub(r"[、，,;；]", "", word):
        return "".join(sorted({str(WEEKDAY_WORDS[d]) for d in days}))
    return None


def parse_hours(word: str) -> tuple[dt.time, dt.time] | None:
    m = re.fullmatch(r"(\d{1,2})[:：](\d{2})\s*[-~—–至到]\s*(\d{1,2})[:：](\d{2})", word.strip())
    if not m:
        return None
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    try:
        opens = dt.time(h1, m1)
        closes = dt.time(0, 0) if (h2, m2) == (24, 0) else dt.time(h2, m2)
    except ValueError:
        return None
    return opens, closes


class InstrumentImporter(BaseImporter):
    """Instruments and pilot lines from rows; the owner column names a registered organisation."""

    kind = "instruments"
    model = Instrument
    columns = COLUMNS

    def prepare(self, line: int, cells: Cells) -> Prepared:
        name = _text(cells, "name")
        if not name:
            raise RowRefused(_("The name is missing (column %(column)s).") % {"column": cells.label("name")})
        owner_name = cells.text("owner")
        if not owner_name:
            raise RowRefused(
                _("The owner organisation is missing (column %(column)s).") % {"column": cells.label("owner")}
            )
        owner_kind = org_kind(cells, "owner_kind") or ""
        if not owner_kind and self.is_demo:
            owner_kind = OrgKind.UNIVERSITY
        owner = OwnerSpec(
            name=owner_name[:200],
            kind=owner_kind,
            district=district_of(cells, "district"),
            description=cells.text("owner_description"),
        )
        model_number = _text(cells, "model_number")
        external_id = cells.text("external_id")
        if len(external_id) > 100:
            raise RowRefused(_("The external id is longer than 100 characters."))
        external_id = external_id or auto_external_id(owner.name, f"{name}|{model_number}")
        year = cells.text("purchase_year")
        purchase_year = None
        if year:
            if not re.fullmatch(r"(19|20|21)\d{2}", year[:4]) or (len(year) > 4 and not year.endswith("年")):
                raise RowRefused(
                    _("%(column)s: write a year such as 2019.") % {"column": cells.label("purchase_year")}
                )
            purchase_year = int(year[:4])
        days = "12345"
        if cells.has("open_days"):
            parsed = parse_weekdays(cells.text("open_days"))
            if parsed is None:
                raise RowRefused(
                    _("%(column)s: write the days as 周一至周五 or as digits such as 12345.")
                    % {"column": cells.label("open_days")}
                )
            days = parsed
        opens, closes = dt.time(8, 30), dt.time(17, 30)
        if cells.has("opening_hours"):
            parsed_hours = parse_hours(cells.text("opening_hours"))
            if parsed_hours is None:
                raise RowRefused(
                    _("%(column)s: write the hours as 08:30-17:30.")
                    % {"column": cells.label("opening_hours")}
                )
            opens, closes = parsed_hours
        unit = 60
        if cells.has("slot_minutes"):
            try:
                unit = int(Decimal(cells.text("slot_minutes")))
            except Exception:
                unit = -1
            if unit not in slots.SLOT_CHOICES:
                raise RowRefused(
                    _("%(column)s: use one of %(allowed)s.")
                    % {
                        "column": cells.label("slot_minutes"),
                        "allowed": "、".join(str(s) for s in slots.SLOT_CHOICES),
                    }
                )
        rates = {}
        for column, (audience, fee_unit) in RATE_COLUMNS.items():
            price = _amount(cells, column, MAX_RATE)
            if price is not None:
                rates[(audience, fee_unit)] = price
        values: dict[str, Any] = {
            "name": name,
            "kind": _choice(cells, "kind", KIND_WORDS, ResourceKind.values, ResourceKind.INSTRUMENT),
            "model_number": model_number,
            "maker": _text(cells, "maker"),
            "category": _choice(
                cells, "category", CATEGORY_NAMES, InstrumentCategory.values, InstrumentCategory.OTHER
            ),
            "lab": _text(cells, "lab"),
            "location": _text(cells, "location"),
            "purchase_value": _amount(cells, "purchase_value", MAX_AMOUNT),
            "purchase_year": purchase_year,
            "publicly_funded": bool(cells.boolean("publicly_funded")),
            "description": _text(cells, "description"),
            "specs": _text(cells, "specs"),
            "sample_requirements": _text(cells, "sample_requirements"),
            "capacity": _text(cells, "capacity"),
            "access": _choice(cells, "access", ACCESS_WORDS, AccessMode.values, AccessMode.OPERATED),
            "open_days": days,
            "opens_at": opens,
            "closes_at": closes,
            "slot_minutes": unit,
            "contact_phone": _text(cells, "contact_phone"),
            "external_id": external_id,
        }
        fields = self._fields(cells)
        return Prepared(
            line=line,
            key=(owner.name, external_id),
            values={**values, "_rates": rates},
            m2m={"fields": fields},
            owner=owner,
        )

    def _fields(self, cells: Cells) -> frozenset[int]:
        pks = []
        for item in cells.items("fields"):
            pk = self.vocab.fields.get(item) or self.vocab.fields.get(item.lower())
            if pk is None:
                raise RowRefused(
                    _("%(column)s: unknown %(what)s “%(value)s”. Use a code or one of: %(allowed)s.")
                    % {
                        "column": cells.label("fields"),
                        "what": _("industry field"),
                        "value": item,
                        "allowed": "、".join(self.vocab.field_names),
                    }
                )
            pks.append(pk)
        return frozenset(pks)

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        ids = [p.key[1] for p in prepared]
        if not ids:
            return {}
        qs = (
            Instrument.objects.filter(external_id__in=ids)
            .select_related("owner")
            .prefetch_related("rates", Prefetch("fields", queryset=IndustryField.objects.only("pk")))
        )
        return {(i.owner.name, i.external_id): i for i in qs}

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        assert p.owner is not None
        values = dict(p.values)
        rates: dict[tuple[str, str], Decimal] = values.pop("_rates")
        if existing is None:
            owner = self.owners.resolve(p.owner)
            if owner.status != OrgStatus.APPROVED:
                raise RowRefused(
                    _(
                        "The organisation “%(name)s” is not approved on the platform; "
                        "it cannot list instruments yet."
                    )
                    % {"name": owner.name}
                )
            instrument = Instrument(
                owner=owner, source=self.source, is_demo=self.is_demo, created_by=self.actor, **values
            )
            instrument.full_clean(
                exclude=["owner", "manager", "platform", "created_by"], validate_constraints=False
            )
            instrument.save()
            FeeRate.objects.bulk_create(
                [
                    FeeRate(instrument=instrument, audience=a, unit=u, price=price)
                    for (a, u), price in rates.items()
                ]
            )
            if p.m2m["fields"]:
                add_m2m(instrument, "fields", p.m2m["fields"])
            self._audit_created(instrument, {"batch": self.batch.pk, "line": p.line, "source": self.source})
            return CREATED, instrument
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        current_rates = {(r.audience, r.unit): r.price for r in existing.rates.all()}
        rates_changed = current_rates != rates
        fields_changed = {f.pk for f in existing.fields.all()} != set(p.m2m["fields"])
        if not (changed or rates_changed or fields_changed):
            return UNCHANGED, existing
        for key in changed:
            setattr(existing, key, values[key])
        existing.updated_at = timezone.now()
        existing.full_clean(
            exclude=["owner", "manager", "platform", "created_by"], validate_constraints=False
        )
        existing.save(update_fields=[*changed, "updated_at"])
        if rates_changed:
            existing.rates.all().delete()
            FeeRate.objects.bulk_create(
                [
                    FeeRate(instrument=existing, audience=a, unit=u, price=price)
                    for (a, u), price in rates.items()
                ]
            )
        if fields_changed:
            existing.fields.set(p.m2m["fields"])
        names = changed + (["rates"] if rates_changed else []) + (["fields"] if fields_changed else [])
        self._audit(
            existing, REIMPORTED, data={"batch": self.batch.pk, "line": p.line, "fields": sorted(names)}
        )
        return UPDATED, existing

    def after_commit(self, touched: list[int], unchanged: list[int], report: Any) -> None:
        """Encode the new and changed instruments for search on a worker (inline: at the next search)."""
        from django.conf import settings

        from techbridge.core.tasks import enqueue

        from .tasks import encode_instruments

        sent = getattr(self, "_encoded", 0)
        fresh = self.changed_pks[sent:]
        self._encoded = len(self.changed_pks)
        if settings.CELERY_BROKER_URL and fresh:
            enqueue(encode_instruments, list(fresh))


def register() -> None:
    register_import_kind(
        ImportKind(
            InstrumentImporter.kind,
            gettext_lazy("Instruments and pilot lines"),
            InstrumentImporter,
            template_label="仪器设备",
            template=TEMPLATE,
            notes=(("仪器分类可选值", "；".join(CATEGORY_NAMES)),),
            order=50,
        )
    )
