"""Importers of the listings: achievements, patents (achievements of a patent type) and demands.

Identity by ``(source, external_id)``; created rows get ``import_create`` (draft) or ``import_publish``
(from nothing to published), updated rows ``import_update`` with the changed fields. An import sets a
status only when it creates a record; a re-import never republishes what an operator withdrew. After
each batch commits, the published rows it created or changed are indexed in full-text search."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements.choices import AchievementType
from techbridge.achievements.models import Achievement
from techbridge.core.fulltext import get_backend
from techbridge.core.models import FullTextEntry
from techbridge.core.signals import listing_changed, listings_changed_in_bulk
from techbridge.core.workflow import ReviewStatus, set_initial_state
from techbridge.demands.models import Demand
from techbridge.lib import patents, text
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from ..cells import (
    Cells,
    RowRefused,
    achievement_kind,
    auto_external_id,
    district_of,
    ipc_codes_of,
    join_keywords,
    org_kind,
    trl_of,
)
from ..columns import (
    ACHIEVEMENT_COLUMNS,
    DEMAND_COLUMNS,
    PATENT_COLUMNS,
    PATENT_KINDS,
)
from ..owners import OwnerSpec
from .base import (
    CREATED,
    REIMPORTED,
    UNCHANGED,
    UPDATED,
    BaseImporter,
    ImportReport,
    Prepared,
    add_m2m,
)


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
        kind = org_kind(cells, "owner_kind") or ""
        if kind in self.forbidden_owner_kinds:
            raise RowRefused(_("Government departments and the platform operator do not publish demands."))
        if not kind and self.is_demo:
            kind = self.default_owner_kind
        return OwnerSpec(
            name=name[:200],
            kind=kind,
            district=district_of(cells, "district"),
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
        return external_id or auto_external_id(owner.name, title)

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
            zone_id=owner.zone_id,  # a new listing takes its owner's zone, as on the platform
            source=self.source,
            external_id=p.key,
            is_demo=self.is_demo,
            created_by=self.actor,
            created_at=now,
            updated_at=now,
            content_updated_at=now,
        )
        if self.publish:
            # Published on arrival: born in "published" (an initial state of listings).
            set_initial_state(obj, ReviewStatus.PUBLISHED, published_at=now)
        self._check(obj)
        obj.save()
        for name, pks in p.m2m.items():
            if pks:
                add_m2m(obj, name, pks)
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source, "external_id": p.key}
        self._audit_created(obj, data)
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
            REIMPORTED,
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
        obj.full_clean(
            exclude=[self.owner_field, "discipline", "created_by", "zone"], validate_constraints=False
        )

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
        # The same promise the listing apps' sync tasks keep: listeners (matching, mining) hear of every
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
            "kind": achievement_kind(cells),
            "discipline_id": self._discipline(cells),
            "ipc_codes": ipc_codes_of(cells),
            "trl": trl_of(cells),
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
            "keywords": join_keywords(cells.items("keywords")),
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
            "keywords": join_keywords(cells.items("keywords")),
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
