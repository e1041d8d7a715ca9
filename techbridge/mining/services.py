"""Writes of mining (classification and achievement packages): atomic, audited, with ``actor=``.

Classification is machine work that follows every listing change; it is not audited row by row (a
bulk import would flood the log), but every reviewer's correction is, and corrections are kept
apart from predictions so that re-classification never overwrites them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import record_created
from techbridge.taxonomy.vocab import DISCIPLINES

from . import classifiers
from .choices import ClassificationTarget, ListingKindChoice
from .classifiers import ClassifierBundle, ListingText
from .models import ClassificationCorrection, ListingClassification
from .permissions import check_correct_classification, check_manage_packages

PATENT_KINDS = {"invention_patent", "utility_model", "design"}
_IPC_CLASS_RE = re.compile(r"^[A-H]\d{2}$")


def model_of(kind: str) -> Any:
    from techbridge.achievements.models import Achievement
    from techbridge.demands.models import Demand

    return {ListingKindChoice.ACHIEVEMENT: Achievement, ListingKindChoice.DEMAND: Demand}[
        ListingKindChoice(kind)
    ]


def text_of_listing(kind: str, listing: Any) -> ListingText:
    """The public text the classifiers read (never the confidential detail)."""
    if kind == ListingKindChoice.ACHIEVEMENT:
        body = "\n".join(p for p in (listing.summary, listing.advantages, listing.applications) if p)
        codes = [c.strip() for c in re.split(r"[;,，；\s]+", listing.ipc_codes or "") if c.strip()]
        is_patent = listing.kind in PATENT_KINDS or bool(listing.patent_numbers)
        return ListingText(listing.title, body, listing.keywords, is_patent=is_patent, ipc_codes=codes)
    body = "\n".join(p for p in (listing.problem, listing.setting, listing.indicators) if p)
    return ListingText(listing.title, body, listing.keywords)


TEXT_FIELDS = {
    ListingKindChoice.ACHIEVEMENT: (
        "title",
        "summary",
        "advantages",
        "applications",
        "keywords",
        "kind",
        "ipc_codes",
        "patent_numbers",
    ),
    ListingKindChoice.DEMAND: ("title", "problem", "setting", "indicators", "keywords"),
}


def listing_texts(kind: str, pks: Sequence[int], *, vectors: bool = False) -> dict[int, ListingText]:
    """The classifier text of several listings, in one query; with ``vectors``, each with its
    passage vector from matching's embedding cache when there is one (one more query)."""
    qs = model_of(kind).objects.filter(pk__in=list(pks)).only(*TEXT_FIELDS[ListingKindChoice(kind)])
    objs = list(qs)
    out = {obj.pk: text_of_listing(kind, obj) for obj in objs}
    if vectors and objs:
        from techbridge.matching.embeddings import MODEL_ID, content_hash, from_bytes
        from techbridge.matching.models import Embedding
        from techbridge.matching.queries import passage_of

        hashes = {obj.pk: content_hash(passage_of(obj)) for obj in objs}
        stored = dict(
            Embedding.objects.filter(model_id=MODEL_ID, content_hash__in=list(hashes.values())).values_list(
                "content_hash", "vector"
            )
        )
        for pk, h in hashes.items():
            if h in stored:
                out[pk].vector = from_bytes(bytes(stored[h]))
    return out


def _text_hash(item: ListingText, version: str) -> str:
    raw = "\n".join(
        [
            version,
            item.title,
            item.keywords,
            item.body,
            ",".join(item.ipc_codes),
            str(item.is_patent),
            str(item.vector is not None),
        ]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def classify_listings(
    kind: str,
    pks: Sequence[int],
    *,
    bundle: ClassifierBundle | None = None,
    force: bool = False,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """(Re)classify listings of ``kind``: predictions written, corrections left as they are.

    Listings whose text and model version are unchanged are skipped unless ``force``. Returns counts
    (``classified``, ``unchanged``, ``missing``); ``no_model`` is set when nothing is trained yet.
    """
    bundle = bundle or classifiers.load_bundle()
    counts = {"classified": 0, "unchanged": 0, "missing": 0, "no_model": 0}
    if bundle is None:
        counts["no_model"] = len(pks)
        return counts
    pks = list(pks)
    for start in range(0, len(pks), batch_size):
        chunk = pks[start : start + batch_size]
        texts = listing_texts(kind, chunk, vectors=getattr(bundle, "discipline_vectors", None) is not None)
        counts["missing"] += len(chunk) - len(texts)
        existing: dict[int, dict[str, ListingClassification]] = {}
        for row in ListingClassification.objects.filter(kind=kind, object_id__in=list(texts)):
            existing.setdefault(row.object_id, {})[row.target] = row
        todo = []
        for pk, item in texts.items():
            h = _text_hash(item, bundle.version)
            rows = existing.get(pk, {})
            if not force and rows and all(r.text_hash == h for r in rows.values() if r.label):
                counts["unchanged"] += 1
                continue
            todo.append((pk, item, h))
        results = bundle.classify([item for _pk, item, _h in todo])
        now = timezone.now()
        with transaction.atomic():
            for (pk, _item, h), res in zip(todo, results, strict=True):
                rows = existing.get(pk, {})
                for target, pred in res.items():
                    values = {
                        "label": pred.label,
                        "confidence": round(float(pred.confidence), 4),
                        "alternatives": [[lab, round(float(p), 4)] for lab, p in pred.alternatives],
                        "model_version": bundle.version,
                        "text_hash": h,
                        "classified_at": now,
                    }
                    current = rows.get(target)
                    if current is None:
                        ListingClassification.objects.create(kind=kind, object_id=pk, target=target, **values)
                    else:  # never touches corrected_* columns
                        ListingClassification.objects.filter(pk=current.pk).update(**values)
                stale = [r.pk for t, r in rows.items() if t not in res and not r.corrected_label]
                if stale:  # e.g. no longer a patent: its predicted IPC goes, a correction stays
                    ListingClassification.objects.filter(pk__in=stale).delete()
                counts["classified"] += 1
        if progress:
            progress(len(chunk))
    return counts


def classify_listing(kind: str, pk: int, *, force: bool = False) -> str:
    """Classify one listing (the task run after each change): ``classified``, ``unchanged``,
    ``missing`` or ``no_model``."""
    counts = classify_listings(kind, [pk], force=force)
    return next((k for k in ("classified", "unchanged", "missing", "no_model") if counts[k]), "unchanged")


# ---- corrections -----------------------------------------------------------------------------------------


def allowed_labels(target: str) -> dict[str, str]:
    """The labels a reviewer may choose for ``target``: value → display name."""
    from techbridge.taxonomy.models import Discipline, IndustryField

    if target == ClassificationTarget.FIELD:
        return dict(IndustryField.objects.values_list("code", "name"))
    if target == ClassificationTarget.DISCIPLINE:
        names = list(Discipline.objects.values_list("name", flat=True)) or list(DISCIPLINES)
        return {n: n for n in names}
    if target == ClassificationTarget.CATEGORY:
        return {c: c for c in dict.fromkeys(DISCIPLINES.values())}
    if target == ClassificationTarget.IPC_SECTION:
        return {k: f"{k} {v}" for k, v in classifiers.IPC_SECTIONS.items()}
    return {}


def check_label(target: str, label: str) -> str:
    """The cleaned label, or ``ValidationError`` with a message for the reviewer."""
    label = (label or "").strip()
    if target not in ClassificationTarget.values:
        raise ValidationError({"target": _("Unknown classification target.")})
    if target == ClassificationTarget.IPC_CLASS:
        label = label.upper()
        if not _IPC_CLASS_RE.match(label):
            raise ValidationError(
                {"label": _("An IPC class is a section letter A–H and two digits, e.g. H01.")}
            )
        return label
    if label not in allowed_labels(target):
        raise ValidationError({"label": _("This label is not in the vocabulary of this target.")})
    return label


def correct_classification(listing: Any, target: str, label: str, *, actor: Any) -> ListingClassification:
    """Record a reviewer's label for one target of ``listing``: shown from now on instead of the
    prediction, kept through re-classification, and used as training data at the next training.

    Only platform reviewers and operators may correct. Audited on the listing (old → new).
    """
    check_correct_classification(actor)
    kind = listing._meta.model_name
    if target in (ClassificationTarget.IPC_CLASS, ClassificationTarget.IPC_SECTION) and kind != "achievement":
        raise ValidationError({"target": _("Only achievements have IPC classes.")})
    label = check_label(target, label)
    with transaction.atomic():
        row, _created = ListingClassification.objects.get_or_create(
            kind=kind, object_id=listing.pk, target=target
        )
        old = row.effective_label
        if old == label and row.is_corrected:
            return row
        now = timezone.now()
        ListingClassification.objects.filter(pk=row.pk).update(
            corrected_label=label, corrected_by=actor, corrected_at=now
        )
        row.corrected_label, row.corrected_by, row.corrected_at = label, actor, now
        ClassificationCorrection.objects.create(
            classification=row, old_label=old, new_label=label, actor=actor
        )
        audit.record(
            listing,
            audit.code(listing, "classification_corrected"),
            actor=actor,
            message=_("%(target)s: %(old)s → %(new)s")
            % {"target": ClassificationTarget(target).label, "old": old or "–", "new": label},
            data={"target": target, "old": old, "new": label},
        )
    return row


# ---- achievement packages (科技成果包) ------------------------------------------------------------------


def achievement_vectors(pks: Sequence[int] | None = None) -> tuple[list[int], Any, list[Any]]:
    """(pks, vectors, achievements) of published achievements whose passage vector is in matching's
    embedding cache — nothing is encoded here (``rebuild_index`` encodes the listings)."""
    import numpy as np

    from techbridge.achievements.models import Achievement
    from techbridge.core.workflow import ReviewStatus
    from techbridge.matching.embeddings import MODEL_ID, content_hash, from_bytes
    from techbridge.matching.models import Embedding
    from techbridge.matching.queries import PASSAGE_FIELDS, passage_of

    qs = Achievement.objects.filter(status=ReviewStatus.PUBLISHED).only(*PASSAGE_FIELDS["achievement"])
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    objs = list(qs.order_by("pk"))
    hashes = [content_hash(passage_of(o)) for o in objs]
    stored: dict[str, Any] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        stored.update(
            Embedding.objects.filter(model_id=MODEL_ID, content_hash__in=chunk).values_list(
                "content_hash", "vector"
            )
        )
    keep = [(o, h) for o, h in zip(objs, hashes, strict=True) if h in stored]
    if not keep:
        return [], np.zeros((0, 384), dtype=np.float32), []
    vectors = np.stack([from_bytes(bytes(stored[h])) for _o, h in keep])
    return [o.pk for o, _h in keep], vectors, [o for o, _h in keep]


def generate_packages(
    *,
    actor: Any,
    method: str | None = None,
    k: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
) -> list[Any]:
    """Propose packages from the published achievements' embeddings (drafts, ``is_automatic``).

    The previous automatic drafts nobody edited are replaced; edited, published and archived
    packages stay. Audited per package. Returns the new drafts, tightest first.
    """
    from . import packages as pk_mod
    from .models import AchievementPackage

    if actor is not None:
        check_manage_packages(actor)
    method = method or pk_mod.DEFAULT_METHOD
    if method not in pk_mod.METHODS:
        raise ValidationError({"method": _("Unknown grouping method.")})
    pks, vectors, objs = achievement_vectors()
    texts = [" ".join([o.title, o.keywords, o.summary[:300]]) for o in objs]
    tokens = [pk_mod.tokens_for_terms(o.title, o.keywords) for o in objs]
    groups = pk_mod.propose_groups(
        vectors,
        texts,
        tokens,
        k=k,
        method=method if len(pks) <= pk_mod.WARD_MAX or not method.startswith("ward") else "kmeans-hybrid",
        min_size=min_size or pk_mod.MIN_SIZE,
        max_size=max_size or pk_mod.MAX_SIZE,
    )
    field_codes = _fields_of(pks)
    created = []
    with transaction.atomic():
        # JSON key lookups treat a missing key as NULL (which NOT(...) would drop): filter here.
        drafts = AchievementPackage.objects.filter(is_automatic=True, status="draft")
        stale = [p for p in drafts if not (p.proposal_info or {}).get("edited")]
        for old in stale:
            if old.auction_lots.exists():
                continue  # on offer in an auction: kept
            audit.record(
                old, "mining.package.replaced", actor=actor, message=_("Replaced by a new proposal.")
            )
            old.delete()
        for g in groups:
            member_pks = [pks[i] for i in g.members]
            terms = g.terms or [objs[g.members[0]].title[:20]]
            counts: dict[str, int] = {}
            for p in member_pks:
                for code in field_codes.get(p, ()):
                    counts[code] = counts.get(code, 0) + 1
            top_field = max(sorted(counts), key=lambda c: counts[c]) if counts else None
            orgs = {objs[i].owner_id for i in g.members}
            package = AchievementPackage.objects.create(
                title=(_("%(terms)s achievement package") % {"terms": "·".join(terms[:3])})[:200],
                summary=_("%(n)d related achievements from %(orgs)d organisations. Key terms: %(terms)s.")
                % {"n": len(member_pks), "orgs": len(orgs), "terms": "、".join(terms)},
                key_terms=terms,
                field=_field_obj(top_field),
                is_automatic=True,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                proposal_info={
                    "method": method,
                    "size": len(member_pks),
                    "cohesion": round(g.cohesion, 4),
                    "clustered": len(pks),
                },
            )
            package.achievements.set(member_pks)
            record_created(
                package, actor=actor, action="mining.package.proposed", data={"members": len(member_pks)}
            )
            created.append(package)
    return created


def _fields_of(pks: Sequence[int]) -> dict[int, list[str]]:
    """Industry field codes per achievement: a reviewer's or the classifier's field, else the
    declared ones."""
    from techbridge.achievements.models import Achievement

    out: dict[int, list[str]] = {}
    rows = ListingClassification.objects.filter(kind="achievement", target=ClassificationTarget.FIELD)
    for pk, label, corrected in rows.values_list("object_id", "label", "corrected_label").iterator(
        chunk_size=5000
    ):
        lab = corrected or label
        if lab and lab != "other":
            out[pk] = [lab]
    through = Achievement.fields.through.objects.exclude(industryfield__code="other")
    for pk, code in through.values_list("achievement_id", "industryfield__code").iterator(chunk_size=5000):
        if pk not in out:
            out.setdefault(-pk, []).append(code)
    for key in [k for k in out if k < 0]:
        out.setdefault(-key, out.pop(key))
    return {k: v for k, v in out.items() if k in set(pks)}


def _field_obj(code: str | None) -> Any:
    from techbridge.taxonomy.models import IndustryField

    return IndustryField.objects.filter(code=code).first() if code else None


def create_package(
    *, actor: Any, title: str, summary: str = "", field: Any = None, achievements: Sequence[Any] = ()
) -> Any:
    """A package assembled by staff (a draft)."""
    from .models import AchievementPackage

    check_manage_packages(actor)
    package = AchievementPackage(
        title=(title or "").strip(), summary=summary or "", field=field, created_by=actor
    )
    package.full_clean()
    with transaction.atomic():
        package.save()
        if achievements:
            _set_members(package, achievements)
        record_created(package, actor=actor, action="mining.package.created")
    return package


def _set_members(package: Any, achievements: Sequence[Any]) -> None:
    from techbridge.core.workflow import ReviewStatus

    pks = [getattr(a, "pk", a) for a in achievements]
    from techbridge.achievements.models import Achievement

    found = set(
        Achievement.objects.filter(pk__in=pks, status=ReviewStatus.PUBLISHED).values_list("pk", flat=True)
    )
    if len(found) != len(set(pks)):
        raise ValidationError({"achievements": _("A package holds published achievements only.")})
    package.achievements.set(found)


def update_package(
    package: Any,
    *,
    actor: Any,
    title: str | None = None,
    summary: str | None = None,
    field: Any = ...,
    key_terms: Sequence[str] | None = None,
    add: Sequence[Any] = (),
    remove: Sequence[Any] = (),
) -> Any:
    """Edit a package's text and members. An archived package cannot be edited; a published one
    keeps at least one member."""
    from techbridge.core.workflow import ReviewStatus

    from .choices import PackageStatus

    check_manage_packages(actor)
    if package.status == PackageStatus.ARCHIVED:
        raise ValidationError(_("An archived package cannot be edited; restore it to a draft first."))
    changes: dict[str, Any] = {}
    if title is not None and title.strip() != package.title:
        changes["title"] = [package.title, title.strip()]
        package.title = title.strip()
    if summary is not None and summary != package.summary:
        changes["summary"] = True
        package.summary = summary
    if field is not ... and field != package.field:
        changes["field"] = [package.field_id, getattr(field, "pk", None)]
        package.field = field
    if key_terms is not None:
        package.key_terms = [t.strip() for t in key_terms if t.strip()][:12]
    package.proposal_info = {**(package.proposal_info or {}), "edited": True}
    package.full_clean()
    with transaction.atomic():
        package.save()
        add_pks = [getattr(a, "pk", a) for a in add]
        if add_pks:
            from techbridge.achievements.models import Achievement

            ok = list(Achievement.objects.filter(pk__in=add_pks, status=ReviewStatus.PUBLISHED))
            if len(ok) != len(set(add_pks)):
                raise ValidationError({"add": _("A package holds published achievements only.")})
            package.achievements.add(*ok)
            changes["added"] = sorted(a.pk for a in ok)
        remove_pks = [getattr(a, "pk", a) for a in remove]
        if remove_pks:
            package.achievements.remove(*remove_pks)
            changes["removed"] = sorted(remove_pks)
        if package.status == PackageStatus.PUBLISHED and not package.achievements.exists():
            raise ValidationError(_("A published package needs at least one achievement."))
        audit.record(package, "mining.package.updated", actor=actor, data=changes)
    return package


def publish_package(package: Any, *, actor: Any) -> Any:
    """Publish a draft package: its page becomes public. It needs a title and a published member."""
    from techbridge.core.workflow import ReviewStatus, transition

    from .choices import PackageStatus

    check_manage_packages(actor)
    if not package.achievements.filter(status=ReviewStatus.PUBLISHED).exists():
        raise ValidationError(_("A package needs at least one published achievement before it is published."))
    transition(
        package,
        PackageStatus.PUBLISHED,
        actor=actor,
        action="mining.package.published",
        changes={"published_at": timezone.now()},
    )
    return package


def archive_package(package: Any, *, actor: Any) -> Any:
    """Take a package off the portal (draft or published → archived)."""
    from techbridge.core.workflow import transition

    from .choices import PackageStatus

    check_manage_packages(actor)
    transition(package, PackageStatus.ARCHIVED, actor=actor, action="mining.package.archived")
    return package


def restore_package(package: Any, *, actor: Any) -> Any:
    """An archived package back to a draft."""
    from techbridge.core.workflow import transition

    from .choices import PackageStatus

    check_manage_packages(actor)
    transition(package, PackageStatus.DRAFT, actor=actor, action="mining.package.restored")
    return package


# Members of a package whose matches are looked up when promoting it, and enterprises told.
PROMOTE_MEMBERS = 20
PROMOTE_ENTERPRISES = 10


def enterprise_matches(achievement: Any, user: Any) -> list[Any]:
    """Matched enterprises of one achievement (``matching.queries.enterprises_for_achievement``)."""
    from techbridge.matching.queries import enterprises_for_achievement

    return list(enterprises_for_achievement(achievement, user, k=5).items)


def promote_package(package: Any, *, actor: Any, limit: int = PROMOTE_ENTERPRISES) -> dict[str, int]:
    """推介: tell the enterprises that match the package's achievements best about the package.

    An enterprise's score is the best of its matches over the members plus a little per further
    member it matches. The people told are the authors of its matched demands (else its
    organisation admins). Each enterprise is told once per package, however often staff promote
    (``PackagePromotion`` + the notification's dedupe key). Returns counts.
    """
    from django.urls import reverse

    from techbridge.accounts.models import User
    from techbridge.core.notifications import notify
    from techbridge.core.roles import Role
    from techbridge.core.workflow import ReviewStatus

    from .choices import PackageStatus
    from .models import AchievementPackage, PackagePromotion

    check_manage_packages(actor)
    if package.status != PackageStatus.PUBLISHED:
        raise ValidationError(_("Only a published package can be promoted."))
    members = list(
        package.achievements.filter(status=ReviewStatus.PUBLISHED)
        .select_related("owner")
        .order_by("-published_at")[:PROMOTE_MEMBERS]
    )
    member_orgs = {a.owner_id for a in members}
    found: dict[int, dict[str, Any]] = {}
    for achievement in members:
        for match in enterprise_matches(achievement, actor):
            org = match.organization
            if org is None or org.pk in member_orgs:
                continue
            entry = found.setdefault(org.pk, {"org": org, "score": 0.0, "hits": 0, "authors": set()})
            entry["score"] = max(entry["score"], float(match.score))
            entry["hits"] += 1
            for m in getattr(match, "demands", []):
                if m.obj.created_by_id:
                    entry["authors"].add(m.obj.created_by_id)
    ranked = sorted(
        found.values(), key=lambda e: (-(e["score"] + 0.05 * min(e["hits"] - 1, 4)), e["org"].pk)
    )[:limit]
    counts = {"enterprises": 0, "already": 0, "people": 0}
    link = reverse("mining:package_detail", args=[package.pk])
    with transaction.atomic():
        for entry in ranked:
            org = entry["org"]
            promo, created = PackagePromotion.objects.get_or_create(
                package=package,
                enterprise=org,
                defaults={"score": round(entry["score"], 4), "promoted_by": actor},
            )
            if not created:
                counts["already"] += 1
                continue
            people = User.objects.filter(is_active=True, organization=org)
            authors = people.filter(pk__in=entry["authors"]) if entry["authors"] else people.none()
            recipients = list(authors) or list(people.filter(role=Role.ORG_ADMIN)) or list(people[:3])
            told = 0
            for user in recipients:
                told += notify(
                    user,
                    kind="package_promoted",
                    title=_("An achievement package for you: %(title)s") % {"title": package.title},
                    body=_("%(org)s may be interested in the package «%(title)s» (%(terms)s).")
                    % {"org": org.name, "title": package.title, "terms": "、".join(package.key_terms or [])},
                    link=link,
                    dedupe_key=f"mining:package:{package.pk}:org:{org.pk}:user:{user.pk}",
                )
            PackagePromotion.objects.filter(pk=promo.pk).update(recipients=told)
            counts["enterprises"] += 1
            counts["people"] += told
        now = timezone.now()
        AchievementPackage.objects.filter(pk=package.pk).update(promoted_at=now)
        package.promoted_at = now
        audit.record(package, "mining.package.promoted", actor=actor, data=counts)
    return counts


def classify_all_listings(
    *, force: bool = False, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Classify every achievement and demand (unchanged ones skipped unless ``force``)."""
    totals = {"classified": 0, "unchanged": 0, "missing": 0, "no_model": 0}
    bundle = classifiers.load_bundle()
    if bundle is None:
        return totals
    for kind in (ListingKindChoice.ACHIEVEMENT, ListingKindChoice.DEMAND):
        pks = list(model_of(kind).objects.order_by("pk").values_list("pk", flat=True))
        done = [0]

        def step(n: int, kind: str = kind, total: int = len(pks), done: list = done) -> None:
            done[0] += n
            if progress:
                progress(kind, done[0], total)

        counts = classify_listings(kind, pks, bundle=bundle, force=force, progress=step)
        for key in totals:
            totals[key] += counts[key]
    return totals
