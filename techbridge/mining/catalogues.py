"""Achievement catalogues (科技成果目录): staff screen achievements into a catalogue and publish it.

Reads: ``visible_catalogues(user)`` (published to everyone, drafts to staff) and
``published_entries(catalogue)`` (entries whose achievement is published now, in order, with what
the page and exports show already joined). Writes are services with ``actor=``, atomic, audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement
from techbridge.core import audit
from techbridge.core.workflow import ReviewStatus, TransitionError, record_created, transition
from techbridge.lib.xlsx import Sheet

from .models import Catalogue, CatalogueEntry
from .permissions import can_manage_catalogues, check_manage_catalogues

MAX_ENTRIES = 2000


def visible_catalogues(user: Any) -> QuerySet:
    qs = Catalogue.objects.select_related("created_by")
    return qs if can_manage_catalogues(user) else qs.filter(status=Catalogue.Status.PUBLISHED)


def published_entries(catalogue: Catalogue) -> QuerySet:
    """Entries whose achievement is published, in order, with owner, discipline and fields joined."""
    return (
        catalogue.entries.filter(achievement__status=ReviewStatus.PUBLISHED)
        .select_related("achievement__owner", "achievement__discipline")
        .prefetch_related("achievement__fields", "achievement__deal_modes")
        .order_by("position", "id")
    )


def all_entries(catalogue: Catalogue) -> QuerySet:
    """Every entry (staff editing view), whatever its achievement's status."""
    return (
        catalogue.entries.select_related("achievement__owner")
        .prefetch_related("achievement__fields")
        .order_by("position", "id")
    )


# ---- writes ---------------------------------------------------------------------------------------


def create_catalogue(*, actor: Any, title: str, description: str = "") -> Catalogue:
    check_manage_catalogues(actor)
    catalogue = Catalogue(title=title.strip(), description=description.strip(), created_by=actor)
    catalogue.full_clean()
    with transaction.atomic():
        catalogue.save()
        record_created(catalogue, actor=actor, action="mining.catalogue.created")
    return catalogue


def update_catalogue(catalogue: Catalogue, *, actor: Any, title: str, description: str) -> list[str]:
    check_manage_catalogues(actor)
    changed = []
    for name, value in (("title", title.strip()), ("description", description.strip())):
        if getattr(catalogue, name) != value:
            setattr(catalogue, name, value)
            changed.append(name)
    if not changed:
        return []
    catalogue.full_clean()
    catalogue.updated_at = timezone.now()
    with transaction.atomic():
        catalogue.save(update_fields=[*changed, "updated_at"])
        audit.record(catalogue, "mining.catalogue.edited", actor=actor, data={"fields": changed})
    return changed


def add_achievements(catalogue: Catalogue, pks: Iterable[int], *, actor: Any) -> int:
    """Append published achievements (in the order given) that are not in the catalogue yet."""
    check_manage_catalogues(actor)
    wanted = list(dict.fromkeys(int(pk) for pk in pks))
    published = set(
        Achievement.objects.filter(pk__in=wanted, status=ReviewStatus.PUBLISHED).values_list("pk", flat=True)
    )
    with transaction.atomic():
        present = set(catalogue.entries.values_list("achievement_id", flat=True))
        new = [pk for pk in wanted if pk in published and pk not in present]
        if len(present) + len(new) > MAX_ENTRIES:
            raise ValidationError(_("A catalogue holds at most %(n)s achievements.") % {"n": MAX_ENTRIES})
        start = (catalogue.entries.aggregate(m=Max("position"))["m"] or 0) + 1
        CatalogueEntry.objects.bulk_create(
            [
                CatalogueEntry(catalogue=catalogue, achievement_id=pk, position=start + i)
                for i, pk in enumerate(new)
            ]
        )
        if new:
            _touch(catalogue)
            audit.record(catalogue, "mining.catalogue.entries_added", actor=actor, data={"achievements": new})
    return len(new)


def remove_entry(entry: CatalogueEntry, *, actor: Any) -> None:
    check_manage_catalogues(actor)
    with transaction.atomic():
        entry.delete()
        _touch(entry.catalogue)
        audit.record(
            entry.catalogue,
            "mining.catalogue.entry_removed",
            actor=actor,
            data={"achievement": entry.achievement_id},
        )


def set_note(entry: CatalogueEntry, note: str, *, actor: Any) -> None:
    check_manage_catalogues(actor)
    entry.note = note.strip()
    entry.full_clean(exclude=["catalogue", "achievement"])
    with transaction.atomic():
        entry.save(update_fields=["note"])
        _touch(entry.catalogue)
        audit.record(
            entry.catalogue,
            "mining.catalogue.entry_noted",
            actor=actor,
            data={"achievement": entry.achievement_id},
        )


def move_entry(entry: CatalogueEntry, direction: str, *, actor: Any) -> None:
    """Swap an entry with its neighbour above (``up``) or below (``down``)."""
    check_manage_catalogues(actor)
    entries = list(entry.catalogue.entries.order_by("position", "id"))
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(entries):
        return
    entries[index], entries[other] = entries[other], entries[index]
    with transaction.atomic():
        for position, e in enumerate(entries, start=1):
            if e.position != position:
                e.position = position
                e.save(update_fields=["position"])
        _touch(entry.catalogue)


def publish_catalogue(catalogue: Catalogue, *, actor: Any) -> None:
    """Publish a draft catalogue that lists at least one published achievement."""
    check_manage_catalogues(actor)
    if not published_entries(catalogue).exists():
        raise TransitionError(_("Add at least one published achievement before publishing the catalogue."))
    transition(
        catalogue,
        Catalogue.Status.PUBLISHED,
        actor=actor,
        action="mining.catalogue.published",
        changes={"published_at": catalogue.published_at or timezone.now()},
    )


def unpublish_catalogue(catalogue: Catalogue, *, actor: Any) -> None:
    check_manage_catalogues(actor)
    transition(catalogue, Catalogue.Status.DRAFT, actor=actor, action="mining.catalogue.unpublished")


def _touch(catalogue: Catalogue) -> None:
    Catalogue.objects.filter(pk=catalogue.pk).update(updated_at=timezone.now())


# ---- exports ---------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "序号",
    "成果名称",
    "成果类型",
    "所属单位",
    "所在区",
    "行业领域",
    "学科",
    "技术成熟度",
    "交易方式",
    "参考价格(元)",
    "专利号",
    "成果简介",
    "编者按",
    "链接",
]


def price_text(a: Achievement) -> Any:
    return "面议" if a.price_negotiable or a.price is None else a.price


def export_rows(entries: Iterable[CatalogueEntry], base_url: str = "") -> list[list[Any]]:
    from django.urls import reverse

    rows = []
    for n, entry in enumerate(entries, start=1):
        a = entry.achievement
        rows.append(
            [
                n,
                a.title,
                a.get_kind_display(),
                a.owner.name,
                a.owner.get_district_display() if a.owner.district else "",
                "、".join(f.name for f in a.fields.all()),
                a.discipline.name if a.discipline else "",
                a.trl or "",
                "、".join(m.name for m in a.deal_modes.all()),
                price_text(a),
                a.patent_numbers,
                a.summary,
                entry.note,
                base_url + reverse("achievements:detail", args=[a.pk]),
            ]
        )
    return rows


def export_sheets(catalogue: Catalogue, base_url: str = "") -> list[Sheet]:
    entries = list(published_entries(catalogue))
    about = [
        ("目录名称", catalogue.title),
        ("说明", catalogue.description),
        (
            "发布时间",
            timezone.localtime(catalogue.published_at).strftime("%Y-%m-%d")
            if catalogue.published_at
            else "未发布",
        ),
        ("成果数", len(entries)),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    return [
        Sheet("成果目录", EXPORT_HEADERS, export_rows(entries, base_url)),
        Sheet("目录信息", ["项目", "内容"], about),
    ]


def catalogue_source(catalogue: Catalogue) -> str:
    """Everything the catalogue's PDF shows, as text: a change of it makes a new version of the PDF."""
    rows = published_entries(catalogue).values_list(
        "id", "position", "note", "achievement_id", "achievement__updated_at", "achievement__owner__name"
    )
    head = [catalogue.title, catalogue.description, str(catalogue.published_at), catalogue.status]
    return "\n".join([*head, *("|".join(str(v) for v in row) for row in rows)])


def catalogue_filename(catalogue: Catalogue) -> str:
    safe = "".join(ch for ch in catalogue.title if ch not in '\\/:*?"<>|')[:60] or "catalogue"
    return f"{safe}.pdf"


def render_catalogue_pdf(catalogue: Catalogue, *, request: Any = None) -> bytes:
    from techbridge.lib.pdf import render_pdf

    entries = list(published_entries(catalogue))
    return render_pdf(
        "mining/pdf/catalogue.html",
        {"catalogue": catalogue, "entries": entries, "generated_at": timezone.localtime()},
        request=request,
    )
