"""Early warning (专利预警): products an enterprise watches, alerts raised when a patent comes close,
the enterprise's decision on each alert, and the analysis requests it sends to an IP service provider."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import transition

from .. import highlight, warning
from ..choices import LIVE_STATUSES, AlertStatus, AnalysisStatus
from ..models import AnalysisRequest, Patent, PatentAlert, ServiceProvider, WatchedProduct
from ..permissions import WATCH_MESSAGE, can_handle_analysis, can_withdraw_analysis, may_watch

log = logging.getLogger(__name__)

PRODUCT_FIELDS = ("name", "description", "keywords", "ipc_codes")
MAX_PRODUCTS_PER_ORG = 50
# A product's first scan of the register: the most recent live patents sharing one of its words
# (SCAN_CANDIDATES), of which the SCAN_COMPARED closest by words (BM25) are compared in full.
SCAN_CANDIDATES = 500
SCAN_COMPARED = 20
ANALYSIS_DAYS = 15


def _check_watch(actor: Any) -> None:
    if not may_watch(actor):
        raise PermissionDenied(str(WATCH_MESSAGE))


def _clean_product(values: dict[str, Any]) -> dict[str, Any]:
    from techbridge.lib.text import split_list

    from .. import parsing

    out = {k: (values.get(k) or "").strip() for k in PRODUCT_FIELDS if k in values}
    if "keywords" in out:
        out["keywords"] = "；".join(
            dict.fromkeys(w.strip() for w in split_list(out["keywords"]) if w.strip())
        )
    if "ipc_codes" in out:
        try:
            out["ipc_codes"] = "；".join(parsing.ipc_codes(out["ipc_codes"], limit=20))
        except ValueError as exc:
            raise ValidationError({"ipc_codes": _("“%(code)s” is not an IPC code.") % {"code": exc}}) from exc
    return out


def register_product(*, actor: Any, values: dict[str, Any]) -> WatchedProduct:
    """Register a product or technology of the actor's enterprise; it is then compared with every new
    patent, and once with the register's recent patents that share its words."""
    _check_watch(actor)
    with transaction.atomic():
        org = actor.organization
        if WatchedProduct.objects.filter(organization=org).count() >= MAX_PRODUCTS_PER_ORG:
            raise ValidationError(
                _("An organisation watches at most %(n)s products; stop watching one first.")
                % {"n": MAX_PRODUCTS_PER_ORG}
            )
        product = WatchedProduct(organization=org, created_by=actor, **_clean_product(values))
        product.full_clean()
        product.save()
        audit.record(product, "ipservices.product.registered", actor=actor)
        enqueue(_scan_task(), product.pk)
    return product


def update_product(product: WatchedProduct, *, actor: Any, values: dict[str, Any]) -> WatchedProduct:
    _check_watch(actor)
    if product.organization_id != actor.organization_id:
        raise PermissionDenied(str(WATCH_MESSAGE))
    with transaction.atomic():
        cleaned = _clean_product(values)
        changed = sorted(k for k, v in cleaned.items() if getattr(product, k) != v)
        if not changed:
            return product
        for key in changed:
            setattr(product, key, cleaned[key])
        product.updated_at = timezone.now()
        product.full_clean()
        product.save()
        audit.record(product, "ipservices.product.updated", actor=actor, data={"fields": changed})
        if {"name", "description", "keywords"} & set(changed) and product.is_active:
            enqueue(_scan_task(), product.pk)
    return product


def set_product_watched(product: WatchedProduct, *, actor: Any, watched: bool) -> WatchedProduct:
    _check_watch(actor)
    if product.organization_id != actor.organization_id:
        raise PermissionDenied(str(WATCH_MESSAGE))
    if product.is_active == watched:
        return product
    with transaction.atomic():
        product.is_active = watched
        product.updated_at = timezone.now()
        product.save(update_fields=["is_active", "updated_at"])
        audit.record(
            product, "ipservices.product.resumed" if watched else "ipservices.product.paused", actor=actor
        )
        if watched:
            enqueue(_scan_task(), product.pk)
    return product


def _scan_task() -> Any:
    from .. import tasks

    return tasks.scan_for_product


# ---- comparing patents with products ------------------------------------------------------------------


def check_patents(patent_pks: Iterable[int], *, only_products: set[int] | None = None) -> int:
    """Compare patents with the watched products and raise the alerts that reach the threshold (at most
    one per product and patent, whatever the number of runs). Returns the number of new alerts.

    Only pending and granted patents can raise alerts: a lapsed or expired patent is an opportunity,
    not a risk (``queries.opportunities``).
    """
    if only_products is None and not warning.has_products():
        return 0
    created = 0
    qs = Patent.objects.filter(pk__in=list(patent_pks), legal_status__in=LIVE_STATUSES).only(
        "pk", "title", "abstract", "claims", "application_number", "publication_number"
    )
    for patent in qs.iterator(chunk_size=200):
        text = warning.patent_text(patent.title, patent.abstract, patent.claims)
        if not warning.shares_terms(text, allowed=only_products):
            continue
        matches = warning.compare(text, allowed=only_products)
        close = [m for m in matches if m.alerts]
        if not close:
            continue
        products = {
            p.pk: p
            for p in WatchedProduct.objects.filter(pk__in=[m.product_id for m in close], is_active=True)
        }
        for m in close:
            product = products.get(int(m.product_id))  # type: ignore[call-overload]
            if product is not None and _raise_alert(product, patent, m):
                created += 1
    return created


def _raise_alert(product: WatchedProduct, patent: Patent, match: warning.Closeness) -> bool:
    claims_text = patent.claims or patent.abstract
    sentences = highlight.matching_sentences(claims_text, match.shared_terms)
    try:
        with transaction.atomic():
            alert = PatentAlert.objects.create(
                organization_id=product.organization_id,
                product=product,
                patent=patent,
                score=match.score,
                similarity=match.similarity,
                shared_terms=match.shared_terms[:12],
                claim_sentences=sentences,
                reasons=match.reasons[:6],
            )
            audit.record(
                alert,
                "ipservices.alert.raised",
                actor=None,
                to_state=alert.status,
                data={"score": match.score, "patent": patent.number},
            )
    except IntegrityError:  # raised before for this pair: once per (product, patent)
        return False
    from techbridge.accounts.models import User

    link = reverse("ipservices:alert", args=[alert.pk])
    for user in User.objects.filter(organization_id=product.organization_id, is_active=True):
        notifications.notify(
            user,
            kind="ipservices_alert",
            title=_("Patent alert for %(product)s: %(title)s")
            % {"product": product.name, "title": patent.title},
            body=_("Shared terms: %(terms)s") % {"terms": "、".join(match.shared_terms[:8]) or "—"},
            link=link,
            dedupe_key=f"ipservices:alert:{alert.pk}:{user.pk}",
        )
    return True


def scan_for_product(product_pk: int) -> int:
    """A product's look at the register: the most recent pending and granted patents that share one of
    its words are compared with it alone. Idempotent (alerts are once per pair)."""
    from django.db.models import Q

    from techbridge.lib.text import index_tokens

    product = WatchedProduct.objects.filter(pk=product_pk, is_active=True).first()
    if product is None:
        return 0
    words = [w for w in product.keywords.split("；") if w]
    if len(words) < 3:
        tokens = [t for t in index_tokens(f"{product.name} {product.description}") if len(t) >= 2]
        words += [t for t in warning.telling(list(dict.fromkeys(tokens))) if t not in words]
    words = words[:8]
    if not words:
        return 0
    q = Q()
    for word in words:
        q |= Q(title__icontains=word) | Q(abstract__icontains=word)
    candidates = list(
        Patent.objects.filter(q, legal_status__in=LIVE_STATUSES)
        .order_by("-filing_date", "-id")
        .values_list("pk", "title", "abstract")[:SCAN_CANDIDATES]
    )
    if not candidates:
        return 0
    # Each full comparison encodes the patent (a fraction of a second): rank the candidates by their
    # words against the product first, and compare only the closest.
    from techbridge.matching.lexical import BM25Index

    lexical = BM25Index()
    lexical.add_many((pk, warning.patent_text(title, abstract)) for pk, title, abstract in candidates)
    text = warning.product_text(product.name, product.description, product.keywords)
    closest = [pk for pk, _score in lexical.search(text, SCAN_COMPARED)]
    return check_patents(closest, only_products={product.pk})


# ---- the enterprise's decision ------------------------------------------------------------------------

DECISIONS = {
    "irrelevant": (AlertStatus.IRRELEVANT, "ipservices.alert.dismissed"),
    "watch": (AlertStatus.WATCHING, "ipservices.alert.watched"),
}


def decide_alert(alert: PatentAlert, *, actor: Any, decision: str, note: str = "") -> PatentAlert:
    """Mark an alert not relevant or watched (members of the alert's organisation)."""
    _check_watch(actor)
    if alert.organization_id != actor.organization_id:
        raise PermissionDenied(str(WATCH_MESSAGE))
    if decision not in DECISIONS:
        raise ValidationError(_("Choose what to do with the alert."))
    to, action = DECISIONS[decision]
    transition(
        alert,
        to,
        actor=actor,
        action=action,
        message=note[:500],
        changes={"decided_at": timezone.now(), "decided_by": actor, "note": note[:500]},
    )
    return alert


def ask_for_analysis(
    alert: PatentAlert, *, actor: Any, provider: ServiceProvider | None, question: str
) -> AnalysisRequest:
    """Ask an IP service provider to analyse the alert's patent against the product: creates the
    analysis request and marks the alert (once; an alert has at most one request)."""
    _check_watch(actor)
    if alert.organization_id != actor.organization_id:
        raise PermissionDenied(str(WATCH_MESSAGE))
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Say what you want the provider to analyse.")})
    if provider is None or not provider.is_active or not provider.offers_analysis:
        raise ValidationError({"provider": _("Choose a provider that takes analysis requests.")})
    with transaction.atomic():
        transition(
            alert,
            AlertStatus.ANALYSIS,
            actor=actor,
            action="ipservices.alert.analysis_requested",
            changes={"decided_at": timezone.now(), "decided_by": actor},
        )
        req = AnalysisRequest(
            organization_id=alert.organization_id,
            alert=alert,
            patent_id=alert.patent_id,
            product_id=alert.product_id,
            provider=provider,
            question=question,
            requested_by=actor,
            due_date=timezone.localdate() + dt.timedelta(days=ANALYSIS_DAYS),
        )
        req.full_clean()
        req.save()
        audit.record(req, "ipservices.analysis.requested", actor=actor, to_state=req.status)
        _notify_provider(req)
    return req


def _notify_provider(req: AnalysisRequest) -> None:
    from techbridge.accounts.models import User

    link = reverse("ipservices:analysis", args=[req.pk])
    for user in User.objects.filter(organization_id=req.provider.organization_id, is_active=True):
        notifications.notify(
            user,
            kind="ipservices_analysis",
            title=_("Patent analysis requested by %(org)s") % {"org": req.organization.name},
            link=link,
            dedupe_key=f"ipservices:analysis:{req.pk}:{user.pk}",
        )


def _check_handler(req: AnalysisRequest, actor: Any) -> None:
    if not can_handle_analysis(actor, req):
        raise PermissionDenied(_("Only the members of the provider handle this request."))


def accept_analysis(req: AnalysisRequest, *, actor: Any) -> AnalysisRequest:
    _check_handler(req, actor)
    transition(req, AnalysisStatus.ACCEPTED, actor=actor, action="ipservices.analysis.accepted")
    return req


def answer_analysis(req: AnalysisRequest, *, actor: Any, answer: str) -> AnalysisRequest:
    _check_handler(req, actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the analysis.")})
    if len(answer) > 10000:
        raise ValidationError({"answer": _("The analysis is longer than 10,000 characters.")})
    with transaction.atomic():
        transition(
            req,
            AnalysisStatus.ANSWERED,
            actor=actor,
            action="ipservices.analysis.answered",
            changes={"answer": answer, "answered_by": actor, "answered_at": timezone.now()},
        )
        _notify_requester(req, _("Patent analysis answered: %(patent)s"))
    return req


def decline_analysis(req: AnalysisRequest, *, actor: Any, reason: str) -> AnalysisRequest:
    _check_handler(req, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the requester a reason.")})
    with transaction.atomic():
        transition(
            req,
            AnalysisStatus.DECLINED,
            actor=actor,
            action="ipservices.analysis.declined",
            message=reason[:2000],
            changes={"decline_reason": reason[:2000]},
        )
        _notify_requester(req, _("Patent analysis declined: %(patent)s"))
    return req


def withdraw_analysis(req: AnalysisRequest, *, actor: Any) -> AnalysisRequest:
    if not can_withdraw_analysis(actor, req):
        raise PermissionDenied(_("Only the requesting organisation withdraws its request."))
    transition(req, AnalysisStatus.WITHDRAWN, actor=actor, action="ipservices.analysis.withdrawn")
    return req


def _notify_requester(req: AnalysisRequest, title: str) -> None:
    if req.requested_by is None:
        return
    notifications.notify(
        req.requested_by,
        kind="ipservices_analysis",
        title=title % {"patent": req.patent.number},
        link=reverse("ipservices:analysis", args=[req.pk]),
        dedupe_key=f"ipservices:analysis:{req.pk}:{req.status}",
    )
