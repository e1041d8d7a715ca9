"""Bulk import of patent database exports into the register (import kind ``patent_register``).

The columns are the Chinese names CNIPA-style exports use (申请号, 申请日, 公开(公告)号, 公开(公告)日,
专利类型, 法律状态, 申请(专利权)人, 发明人, IPC分类号/主分类号, 摘要, 主权项 …). A row is identified by
its application number (else its publication number), so importing the same export twice changes
nothing, and a newer export updates the records it names (empty cells never blank a stored value).
After each batch commits, a task links the patents to achievements, brings industry membership up to
date and compares new patents with the watched products (early warning).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.workflow import TransitionError, set_initial_state, transition
from techbridge.imports.cells import Cells, RowRefused
from techbridge.imports.importers.base import (
    CREATED,
    REIMPORTED,
    UNCHANGED,
    UPDATED,
    BaseImporter,
    ImportReport,
    Prepared,
)
from techbridge.lib.patents import is_patent_number, normalise_patent_number

from . import parsing
from .choices import LegalStatus, PatentKind
from .models import MAX_ABSTRACT, MAX_CLAIMS, MAX_NAMES, Patent

COLUMNS: dict[str, tuple[str, ...]] = {
    "application_number": ("申请号", "专利申请号", "申请号码"),
    "filing_date": ("申请日", "申请日期"),
    "publication_number": ("公开(公告)号", "公开号", "公告号", "公开公告号"),
    "publication_date": ("公开(公告)日", "公开日", "公告日", "公开日期"),
    "grant_number": ("授权公告号", "授权号"),
    "grant_date": ("授权公告日", "授权日", "授权日期"),
    "title": ("专利名称", "发明名称", "名称", "标题"),
    "kind": ("专利类型", "类型"),
    "legal_status": ("法律状态", "当前法律状态", "法律状态/事件"),
    "status_date": ("失效日期", "法律状态日", "法律状态日期"),
    "applicants": ("申请(专利权)人", "申请人", "专利权人", "当前权利人", "当前申请(专利权)人"),
    "applicant_type": ("申请人类型",),
    "applicant_address": ("申请人地址", "地址", "申请(专利权)人地址"),
    "region": ("国省代码", "申请人所在国(省)", "申请人国家/省市"),
    "inventors": ("发明人", "发明(设计)人"),
    "ipc_main": ("主分类号", "IPC主分类号", "IPC主分类"),
    "ipc_codes": ("IPC分类号", "分类号", "IPC"),
    "abstract": ("摘要", "申请摘要", "摘要文本"),
    "claims": ("主权项", "权利要求", "权利要求书"),
    "agency": ("专利代理机构", "代理机构"),
    "term_adjustment_days": ("专利权期限补偿(天)", "期限补偿天数", "专利权期限补偿"),
}

TEMPLATE: tuple[tuple[str, str, str], ...] = (
    ("申请号*", "CN202223220665.2", "必填（或填公开(公告)号）。重复导入按申请号更新，不会重复创建。"),
    ("申请日", "2022-12-02", "如 2022-12-02 或 20221202；用于计算保护期限。"),
    ("公开(公告)号", "CN218751475U", ""),
    ("公开(公告)日", "2023-03-28", ""),
    ("授权公告号", "CN218751475U", "已授权的专利填写。"),
    ("授权公告日", "2023-03-28", ""),
    ("专利名称*", "一种无人机机载多功能盒", "必填，300 字以内。"),
    ("专利类型", "实用新型", "发明公开、发明授权、实用新型、外观设计；留空时按申请号判断。"),
    (
        "法律状态",
        "有权-审定授权",
        "如 审中-实质审查、有权-审定授权、无权-未缴年费、无权-期限届满、全部无效。",
    ),
    ("失效日期", "", "专利权终止或被宣告无效的日期（已知时）。"),
    ("申请(专利权)人", "中科大数据研究院", "多个用；分隔，第一个为第一申请人。"),
    ("申请人类型", "科研机构", "企业、大专院校、科研机构、个人、机关团体；留空时按名称判断。"),
    ("申请人地址", "450000河南省郑州市郑东新区中道东路6号", "用于统计地区（南京申请人按区县统计）。"),
    ("国省代码", "河南(41)", ""),
    ("发明人", "刘迪;刘敏;王煜伟", "多个用；分隔。"),
    ("主分类号", "B64U20/80", ""),
    ("IPC分类号", "B64U20/80;B64U101/30", "多个用；分隔。"),
    ("摘要", "一种无人机机载多功能盒……", "5000 字以内。"),
    ("主权项", "1.一种无人机机载多功能盒，其特征在于……", "第一项权利要求，20000 字以内。"),
    ("专利代理机构", "郑州明华专利代理事务所（普通合伙）", ""),
    ("专利权期限补偿(天)", "", "发明专利获得的期限补偿天数（专利法第四十二条）。"),
)

NOTES: tuple[tuple[str, str], ...] = (
    (
        "保护期限",
        "按专利法第四十二条计算：发明 20 年，实用新型 10 年，外观设计 15 "
        "年（2021-06-01 前申请的 10 年），自申请日起算；期限补偿只适用于发明。",
    ),
    (
        "法律状态",
        "系统识别：审中 → 审查中；有权/授权 → 有效；未缴年费/放弃/撤回/驳回/终止 "
        "→ 失效；期限届满 → 届满；无效 → 被宣告无效。",
    ),
    ("成果关联", "登记簿中的专利按专利号自动关联平台上填写了相同专利号的科技成果。"),
)

# Fields an import writes; an empty cell leaves the stored value alone.
WRITTEN = (
    "application_number",
    "publication_number",
    "grant_number",
    "title",
    "kind",
    "filing_date",
    "publication_date",
    "grant_date",
    "term_adjustment_days",
    "applicants",
    "applicant_type",
    "applicant_address",
    "province",
    "inventors",
    "ipc_main",
    "ipc_codes",
    "abstract",
    "claims",
    "agency",
)

# The type digit of a 12-digit application number (year, type, serial):
# 1/8 invention, 2/9 utility model, 3 design.
_TYPE_DIGIT = {
    "1": PatentKind.INVENTION,
    "8": PatentKind.INVENTION,
    "2": PatentKind.UTILITY_MODEL,
    "9": PatentKind.UTILITY_MODEL,
    "3": PatentKind.DESIGN,
}
_KIND_CODE = {
    "A": PatentKind.INVENTION,
    "B": PatentKind.INVENTION,
    "C": PatentKind.INVENTION,
    "U": PatentKind.UTILITY_MODEL,
    "Y": PatentKind.UTILITY_MODEL,
    "S": PatentKind.DESIGN,
}


def kind_from_numbers(application: str | None, publication: str) -> str | None:
    match = re.fullmatch(r"CN\d{4}(\d)\d{7}\.[\dX]", application or "")
    if match and match.group(1) in _TYPE_DIGIT:
        return _TYPE_DIGIT[match.group(1)]
    code = re.search(r"([A-Z])\d?$", publication or "")
    return _KIND_CODE.get(code.group(1)) if code else None


class PatentRegisterImporter(BaseImporter):
    """Rows of a patent export → register patents (created, or updated when the export says more)."""

    kind = "patent_register"
    model = Patent
    columns = COLUMNS
    # Follow-up work after each batch (links, industries, early warning); a bulk load may do it
    # once at the end instead.
    follow_up = True

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._chunk_changed: list[int] = []
        self._chunk_new: list[int] = []

    # ---- reading a row ------------------------------------------------------------------------

    def _number(self, cells: Cells, name: str) -> str:
        raw = cells.text(name)
        if not raw:
            return ""
        number = normalise_patent_number(raw.split(";")[0].split("；")[0])
        if not is_patent_number(number):
            raise RowRefused(
                _(
                    "%(column)s: “%(value)s” is not a Chinese patent "
                    "number (write CN202223220665.2 or CN218751475U)."
                )
                % {"column": cells.label(name), "value": raw}
            )
        return number

    def _date(self, cells: Cells, name: str) -> Any:
        try:
            return parsing.date_value(cells.values.get(name))
        except ValueError:
            raise RowRefused(
                _("%(column)s: “%(value)s” is not a date (write 2022-12-02).")
                % {"column": cells.label(name), "value": cells.text(name)}
            ) from None

    def _limited(self, cells: Cells, name: str, limit: int) -> str:
        value = cells.text(name)
        if len(value) > limit:
            raise RowRefused(
                _("%(column)s: longer than %(n)s characters.")
                % {"column": cells.label(name), "n": f"{limit:,}"}
            )
        return value

    def prepare(self, line: int, cells: Cells) -> Prepared:
        application = self._number(cells, "application_number") or None
        publication = self._number(cells, "publication_number")
        if not application and not publication:
            raise RowRefused(_("The application number is missing (column 申请号, or 公开(公告)号)."))
        title = cells.text("title")
        if not title:
            raise RowRefused(
                _("The title is missing (column %(column)s).")
                % {"column": cells.label("title") if cells.has("title") else "专利名称"}
            )
        if len(title) > 300:
            raise RowRefused(_("The title is longer than 300 characters."))
        kind = parsing.patent_kind(cells.text("kind")) if cells.has("kind") else None
        if cells.has("kind") and kind is None:
            raise RowRefused(
                _("%(column)s: unknown patent type “%(value)s” (write 发明, 实用新型 or 外观设计).")
                % {"column": cells.label("kind"), "value": cells.text("kind")}
            )
        kind = kind or kind_from_numbers(application, publication)
        if kind is None:
            raise RowRefused(
                _("The patent type is missing (column 专利类型) and the numbers do not tell it.")
            )
        grant_number = self._number(cells, "grant_number")
        grant_date = self._date(cells, "grant_date")
        status_word = cells.text("legal_status")
        status = parsing.legal_status(status_word) if status_word else None
        if status_word and status is None:
            raise RowRefused(
                _("%(column)s: unknown legal status “%(value)s”.")
                % {"column": cells.label("legal_status"), "value": status_word}
            )
        if status is None:
            status = LegalStatus.GRANTED if (grant_number or grant_date) else LegalStatus.PENDING
        try:
            ipc = parsing.ipc_codes(cells.text("ipc_codes"))
            main = parsing.ipc_codes(cells.text("ipc_main"))[:1]
        except ValueError as exc:
            raise RowRefused(
                _("“%(value)s” is not an IPC code. Write codes like H04L or G06F 16/35.") % {"value": exc}
            ) from None
        if main and main[0] not in ipc:
            ipc.insert(0, main[0])
        applicants = parsing.split_names(cells.text("applicants"))
        inventors = parsing.split_names(cells.text("inventors"), limit=100)
        adjustment = cells.text("term_adjustment_days")
        days = 0
        if adjustment:
            if not re.fullmatch(r"\d{1,4}(?:\.0+)?", adjustment):
                raise RowRefused(
                    _("%(column)s: “%(value)s” is not a number of days.")
                    % {"column": cells.label("term_adjustment_days"), "value": adjustment}
                )
            days = int(float(adjustment))
        address = self._limited(cells, "applicant_address", 300)
        values: dict[str, Any] = {
            "application_number": application,
            "publication_number": publication,
            "grant_number": grant_number,
            "title": title,
            "kind": kind,
            "filing_date": self._date(cells, "filing_date"),
            "publication_date": self._date(cells, "publication_date"),
            "grant_date": grant_date,
            "term_adjustment_days": days,
            "applicants": "；".join(applicants)[:MAX_NAMES],
            "applicant_type": parsing.applicant_type(
                cells.text("applicant_type"), applicants[0] if applicants else ""
            )
            if applicants
            else "",
            "applicant_address": address,
            "province": parsing.province_of(cells.text("region"), address),
            "inventors": "；".join(inventors)[:MAX_NAMES],
            "ipc_main": main[0] if main else (ipc[0] if ipc else ""),
            "ipc_codes": "；".join(ipc)[:MAX_NAMES],
            "abstract": self._limited(cells, "abstract", MAX_ABSTRACT),
            "claims": self._limited(cells, "claims", MAX_CLAIMS),
            "agency": cells.text("agency")[:200],
            # Not written directly: the legal status moves through the state machine.
            "_status": status,
            "_status_text": status_word[:100],
            "_status_date": self._date(cells, "status_date"),
        }
        key = ("app", application) if application else ("pub", publication)
        return Prepared(line=line, key=key, values=values)

    # ---- writing ------------------------------------------------------------------------------------

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        self._chunk_changed, self._chunk_new = [], []
        apps = [p.values["application_number"] for p in prepared if p.values["application_number"]]
        pubs = [p.values["publication_number"] for p in prepared if p.values["publication_number"]]
        found: dict[Any, Any] = {}
        for patent in Patent.objects.filter(Q(application_number__in=apps) | Q(publication_number__in=pubs)):
            if patent.application_number:
                found[("app", patent.application_number)] = patent
            if patent.publication_number:
                found.setdefault(("pub", patent.publication_number), patent)
        # A row with an application number also finds a record stored by its publication number alone.
        for p in prepared:
            if p.key not in found and p.key[0] == "app" and p.values["publication_number"]:
                by_pub = found.get(("pub", p.values["publication_number"]))
                if by_pub is not None and not by_pub.application_number:
                    found[p.key] = by_pub
        return found

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        from .services.register import derive

        values = {k: v for k, v in p.values.items() if not k.startswith("_")}
        status, status_text, status_date = (
            p.values["_status"],
            p.values["_status_text"],
            p.values["_status_date"],
        )
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source}
        if existing is None:
            patent = Patent(
                **values,
                legal_status_text=status_text,
                status_date=status_date,
                source=self.source,
                is_demo=self.is_demo,
                created_by=self.actor,
            )
            set_initial_state(patent, status)
            self._derive(patent, derive)
            patent.full_clean(validate_unique=False)
            patent.save()
            self._audit_created(patent, data)
            self._chunk_changed.append(patent.pk)
            self._chunk_new.append(patent.pk)
            return CREATED, patent
        changed = [k for k, v in values.items() if v not in (None, "", 0) and getattr(existing, k) != v]
        if status_text and existing.legal_status_text != status_text and status == existing.legal_status:
            changed.append("legal_status_text")
            values["legal_status_text"] = status_text
        if status_date and existing.status_date != status_date and status == existing.legal_status:
            changed.append("status_date")
            values["status_date"] = status_date
        moves = status != existing.legal_status
        if not changed and not moves:
            return UNCHANGED, existing
        if changed:
            for key in changed:
                setattr(existing, key, values[key])
            existing.applicant_org = None if "applicants" in changed else existing.applicant_org
            if "applicant_address" in changed:  # the region is read again from the new address
                existing.city, existing.district = "", ""
            self._derive(existing, derive)
            existing.updated_at = timezone.now()
            existing.full_clean(validate_unique=False)
            existing.save()
            self._audit(existing, REIMPORTED, data={**data, "fields": sorted(changed)})
        if moves:
            try:
                transition(
                    existing,
                    status,
                    actor=self.actor,
                    action="ipservices.patent.status_changed",
                    changes={"legal_status_text": status_text, "status_date": status_date},
                    data=data,
                )
            except TransitionError:
                raise RowRefused(
                    _(
                        "The legal status cannot change from %(old)s to "
                        "%(new)s; correct the patent in the console."
                    )
                    % {
                        "old": existing.get_legal_status_display(),
                        "new": LegalStatus(status).label,
                    }
                ) from None
        self._chunk_changed.append(existing.pk)
        if {"title", "abstract", "claims"} & set(changed) or (
            moves and status in (LegalStatus.PENDING, LegalStatus.GRANTED)
        ):
            self._chunk_new.append(existing.pk)
        return UPDATED, existing

    def _derive(self, patent: Patent, derive: Any) -> None:
        try:
            derive(patent)
        except ValueError as exc:  # an IPC code that slipped through
            raise RowRefused(_("“%(value)s” is not an IPC code.") % {"value": exc}) from None
        numbers = [n for n in (patent.application_number, patent.publication_number) if n]
        clash = Patent.objects.filter(Q(application_number__in=numbers) | Q(publication_number__in=numbers))
        if clash.exclude(pk=patent.pk).exists():
            raise RowRefused(
                _("Another patent in the register already has the number %(n)s.") % {"n": numbers[0]}
            )

    def after_commit(self, touched: list[int], unchanged: list[int], report: ImportReport) -> None:
        """Link, classify and check the chunk's patents in a task, once its rows are committed."""
        from .services.register import after_patents_changed

        changed, new = self._chunk_changed, self._chunk_new
        self._chunk_changed, self._chunk_new = [], []
        if changed and self.follow_up:
            after_patents_changed(changed, new=new)
