"""Every write of deal announcements: opening the notice of a concluded deal, objections and their
decision, ending the notice period and issuing the certificate, revoking it, and the parties' consent
to announce a registered contract.

Services take ``actor`` as a keyword, run in a transaction, audit what they do and refuse with a
translated message (``ValidationError``, ``PermissionDenied``, ``TransitionError``).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, documents, notifications
from techbridge.core.workflow import TransitionError, record_created, transition

from . import permissions, rules
from .choices import AnnouncementStatus, CertificateStatus, ObjectionStatus, Origin
from .models import (
    EVIDENCE_MAX_BYTES,
    NOTE_MAX,
    REASON_MAX,
    REASON_MIN,
    Announcement,
    Certificate,
    Objection,
    Publication,
)

log = logging.getLogger(__name__)

EVIDENCE_TYPES = {
    "pdf": b"%PDF",
    "png": b"\x89PNG",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
CERTIFICATE_DOCUMENT = "announcements.certificate"


# ---- the notice period ---------------------------------------------------------------------------


def _dates(name: str) -> list[dt.date]:
    return [dt.date.fromisoformat(str(d)) for d in getattr(settings, name, [])]


def period_end(concluded_at: dt.datetime) -> dt.datetime:
    """Midnight after the last of ``ANNOUNCEMENT_PERIOD_WORKING_DAYS`` working days after the deal."""
    days = int(getattr(settings, "ANNOUNCEMENT_PERIOD_WORKING_DAYS", 5))
    start = timezone.localtime(concluded_at).date()
    last = rules.add_working_days(
        start, days, _dates("ANNOUNCEMENT_HOLIDAYS"), _dates("ANNOUNCEMENT_EXTRA_WORKDAYS")
    )
    midnight = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight)


# ---- opening -------------------------------------------------------------------------------------


def _members(org: Any) -> list[Any]:
    if org is None:
        return []
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(organization=org, is_active=True))


def _notify_parties(ann: Announcement, *, kind: str, title: str, body: str = "", dedupe: str = "") -> None:
    link = reverse("announcements:detail", args=[ann.pk])
    for org in (ann.seller, ann.buyer):
        for user in _members(org):
            key = f"{dedupe}:{user.pk}" if dedupe else ""
            notifications.notify(user, kind=kind, title=title, body=body[:500], link=link, dedupe_key=key)


def _deal_mode_name(code: str) -> str:
    from techbridge.taxonomy.models import DealMode

    mode = DealMode.objects.filter(code=code).first() if code else None
    return mode.name if mode else code


def open_announcement(
    *,
    origin: str,
    origin_ref: str,
    subject: str,
    seller: Any,
    buyer: Any,
    price: Decimal,
    deal_mode: str,
    concluded_at: dt.datetime,
    is_demo: bool = False,
) -> Announcement:
    """Open the public notice of a deal, once (a second call for the same deal returns the first)."""
    found = Announcement.objects.filter(origin_ref=origin_ref).first()
    if found is not None:
        return found
    ann = Announcement(
        origin=origin,
        origin_ref=origin_ref,
        subject=subject[:200],
        seller=seller,
        seller_name=getattr(seller, "name", "") or _("(not a platform organisation)"),
        buyer=buyer,
        buyer_name=getattr(buyer, "name", "") or _("(not a platform organisation)"),
        price=price,
        deal_mode=deal_mode or "",
        deal_mode_name=_deal_mode_name(deal_mode or ""),
        concluded_at=concluded_at,
        period_ends_at=period_end(concluded_at),
        is_demo=is_demo,
    )
    ann.full_clean()
    try:
        with transaction.atomic():
            ann.save(force_insert=True)
            record_created(ann, actor=None, action="announcements.announcement.opened")
    except IntegrityError:  # the hook and the sweep opened it at the same moment
        return Announcement.objects.get(origin_ref=origin_ref)
    _notify_parties(
        ann,
        kind="announcements.opened",
        title=_("Your deal %(subject)s is under public notice until %(day)s")
        % {"subject": ann.subject, "day": f"{ann.last_day:%Y-%m-%d}"},
        dedupe=f"announcements.opened:{ann.pk}",
    )
    return ann


def open_for_lot(lot_pk: int) -> Announcement | None:
    """The notice of a sold auction lot: the hammer price, the winner's organisation."""
    from techbridge.auctions.models import Lot

    lot = Lot.objects.select_related("seller", "winner__organization").filter(pk=lot_pk).first()
    if lot is None or lot.status != "sold" or lot.winner is None or lot.hammer_price is None:
        return None
    return open_announcement(
        origin=Origin.AUCTION,
        origin_ref=f"lot:{lot.pk}",
        subject=lot.title,
        seller=lot.seller,
        buyer=lot.winner.organization,
        price=lot.hammer_price,
        deal_mode=lot.deal_mode_code,
        concluded_at=lot.closed_at or timezone.now(),
        is_demo=bool(getattr(lot, "is_demo", False)),
    )


def open_for_offer(offer_pk: int) -> Announcement | None:
    """The notice of a deal agreed in a negotiation room: the accepted offer's price and deal mode."""
    from techbridge.deals.models import Offer

    offer = Offer.objects.select_related("room__seller", "room__buyer").filter(pk=offer_pk).first()
    if offer is None or offer.status != "accepted":
        return None
    room = offer.room
    return open_announcement(
        origin=Origin.LISTING,
        origin_ref=f"offer:{offer.pk}",
        subject=room.title,
        seller=room.seller,
        buyer=room.buyer,
        price=offer.price,
        deal_mode=offer.deal_mode,
        concluded_at=offer.answered_at or timezone.now(),
    )


def on_deal_concluded(sender: Any, pk: int, **kwargs: Any) -> None:
    """Receiver of ``core.signals.deal_concluded`` (after the deal's transaction committed)."""
    label = getattr(getattr(sender, "_meta", None), "label", "")
    try:
        if label == "auctions.Lot":
            open_for_lot(pk)
        elif label == "deals.Offer":
            open_for_offer(pk)
    except Exception:  # the deal stands; the notice is opened again by hand or by the next run
        log.exception("opening the announcement of %s %s failed", label, pk)
        raise


# ---- objections ----------------------------------------------------------------------------------


def _check_evidence(upload: Any) -> str:
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": _("Evidence must be a PDF, PNG or JPEG file.")})
    if (upload.size or 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _("Evidence may be at most 10 MB.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(EVIDENCE_TYPES[ext]):
        raise ValidationError({"evidence": _("The file's content does not match its type.")})
    return name[-200:]


def file_objection(ann: Announcement, *, actor: Any, reason: str, evidence: Any = None) -> Objection:
    """Someone who is not a party objects while the notice is open; the parties are told."""
    permissions.check_file_objection(actor, ann)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {"reason": _("Give the reason in at least %(n)s characters.") % {"n": REASON_MIN}}
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("The reason may be at most %(n)s characters.") % {"n": REASON_MAX}}
        )
    if ann.status != AnnouncementStatus.OPEN or ann.period_ends_at <= timezone.now():
        raise ValidationError(_("The notice period of this deal is over: objections are no longer accepted."))
    evidence_name = _check_evidence(evidence) if evidence else ""
    if Objection.objects.filter(announcement=ann, filed_by=actor, status=ObjectionStatus.PENDING).exists():
        raise ValidationError(_("You already have an objection to this deal awaiting a decision."))
    obj = Objection(announcement=ann, filed_by=actor, reason=reason, evidence_name=evidence_name)
    try:
        with transaction.atomic():
            if evidence:
                obj.evidence.save(evidence_name, evidence, save=False)
            obj.save(force_insert=True)
            record_created(obj, actor=actor, action="announcements.objection.filed")
            # The announcement must still be open: a notice ended in the meantime refuses the objection.
            if not Announcement.objects.filter(pk=ann.pk, status=AnnouncementStatus.OPEN).exists():
                raise ValidationError(
                    _("The notice period of this deal is over: objections are no longer accepted.")
                )
    except IntegrityError as exc:
        raise ValidationError(_("You already have an objection to this deal awaiting a decision.")) from exc
    _notify_parties(
        ann,
        kind="announcements.objection",
        title=_("An objection was filed against the deal %(subject)s") % {"subject": ann.subject},
        body=_("The notice period cannot end until the platform decides on it. Reason given: %(reason)s")
        % {"reason": reason[:300]},
        dedupe=f"announcements.objection:{obj.pk}",
    )
    return obj


def resolve_objection(obj: Objection, *, actor: Any, upheld: bool, resolution: str) -> Objection:
    """An operator decides: dismissed (the notice runs on) or upheld (the notice is suspended and the
    deal flagged)."""
    permissions.check_resolve(actor)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Give the reason for the decision.")})
    if len(resolution) > REASON_MAX:
        raise ValidationError(
            {"resolution": _("The reason may be at most %(n)s characters.") % {"n": REASON_MAX}}
        )
    ann = obj.announcement
    now = timezone.now()
    with transaction.atomic():
        transition(
            obj,
            ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED,
            actor=actor,
            action="announcements.objection.upheld" if upheld else "announcements.objection.dismissed",
            changes={"resolution": resolution, "resolved_by": actor, "resolved_at": now},
            message=resolution,
        )
        if upheld and ann.status == AnnouncementStatus.OPEN:
            transition(
                ann,
                AnnouncementStatus.SUSPENDED,
                actor=actor,
                action="announcements.announcement.suspended",
                changes={"flagged": True, "flag_note": resolution[:NOTE_MAX]},
                message=resolution,
            )
    if upheld:
        title = _("The objection to the deal %(subject)s was upheld: the notice is suspended")
    else:
        title = _("The objection to the deal %(subject)s was dismissed")
    _notify_parties(
        ann,
        kind="announcements.decision",
        title=title % {"subject": ann.subject},
        body=resolution,
        dedupe=f"announcements.decision:{obj.pk}",
    )
    notifications.notify(
        obj.filed_by,
        kind="announcements.decision",
        title=title % {"subject": ann.subject},
        body=resolution[:500],
        link=reverse("announcements:detail", args=[ann.pk]),
        dedupe_key=f"announcements.decision:{obj.pk}:filer",
    )
    return obj


# ---- end of the period and the certificate ---------------------------------------------------------


def _no_pending_objection() -> Q:
    pending = Objection.objects.filter(announcement=OuterRef("pk"), status=ObjectionStatus.PENDING)
    return ~Q(Exists(pending))


def end_due_announcements(now: dt.datetime | None = None) -> dict[str, int]:
    """End every open notice whose period is over and that has no pending objection, and issue its
    certificate. Idempotent; a notice with a pending objection waits for the decision."""
    now = now or timezone.now()
    ended = waiting = 0
    due = Announcement.objects.filter(status=AnnouncementStatus.OPEN, period_ends_at__lte=now)
    for ann in due.order_by("pk"):
        try:
            with transaction.atomic():
                transition(
                    ann,
                    AnnouncementStatus.ENDED,
                    actor=None,
                    action="announcements.announcement.ended",
                    guard=_no_pending_objection(),
                    changes={"ended_at": now},
                )
                issue_certificate(ann, now=now)
            ended += 1
        except TransitionError:
            waiting += 1  # a pending objection (or someone else ended it first)
        except Exception:
            log.exception("ending announcement %s failed", ann.pk)
    return {"ended": ended, "waiting": waiting}


def issue_certificate(ann: Announcement, *, now: dt.datetime | None = None, actor: Any = None) -> Certificate:
    """The certificate of a notice that ended without an objection standing; its PDF is typeset in the
    background and its SHA-256 kept on it."""
    if ann.status != AnnouncementStatus.ENDED:
        raise ValidationError(_("A certificate is issued only after the notice period has ended."))
    if ann.objections.filter(status__in=[ObjectionStatus.PENDING, ObjectionStatus.UPHELD]).exists():
        raise ValidationError(_("A certificate cannot be issued while an objection is pending or upheld."))
    found = Certificate.objects.filter(announcement=ann).first()
    if found is not None:
        return found
    cert = Certificate(
        announcement=ann,
        subject=ann.subject,
        seller_name=ann.seller_name,
        buyer_name=ann.buyer_name,
        price=ann.price,
        origin=ann.origin,
        deal_mode_name=ann.deal_mode_name,
        concluded_at=ann.concluded_at,
        period_ends_at=ann.period_ends_at,
        issued_at=now or timezone.now(),
        is_demo=ann.is_demo,
    )
    for _attempt in range(3):
        cert.code = rules.new_code()
        if not Certificate.objects.filter(code=cert.code).exists():
            break
    with transaction.atomic():
        cert.save(force_insert=True)
        record_created(
            cert, actor=actor, action="announcements.certificate.issued", data={"announcement": ann.pk}
        )
        documents.current(cert, CERTIFICATE_DOCUMENT, actor=actor)
    _notify_parties(
        ann,
        kind="announcements.certificate",
        title=_("The transaction certificate of %(subject)s was issued") % {"subject": ann.subject},
        body=_("Verification code: %(code)s") % {"code": cert.grouped_code},
        dedupe=f"announcements.certificate:{cert.pk}",
    )
    return cert


def keep_pdf_hash(cert: Certificate, doc: Any) -> None:
    """``on_ready`` of the certificate's document: the PDF's SHA-256, shown by the verification page."""
    Certificate.objects.filter(pk=cert.pk, sha256="").update(sha256=doc.sha256)


def revoke_certificate(cert: Certificate, *, actor: Any, reason: str) -> Certificate:
    permissions.check_revoke(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": _("The reason may be at most %(n)s characters.") % {"n": NOTE_MAX}})
    with transaction.atomic():
        transition(
            cert,
            CertificateStatus.REVOKED,
            actor=actor,
            action="announcements.certificate.revoked",
            changes={"revoked_reason": reason, "revoked_by": actor, "revoked_at": timezone.now()},
            message=reason,
        )
    _notify_parties(
        cert.announcement,
        kind="announcements.certificate",
        title=_("The transaction certificate of %(subject)s was revoked") % {"subject": cert.subject},
        body=reason,
        dedupe=f"announcements.revoked:{cert.pk}",
    )
    return cert


# ---- announcing registered contracts (成交公告) ----------------------------------------------------


def set_publication_consent(
    contract: Any, *, actor: Any, consent: bool, show_amount: bool = False
) -> Publication:
    """A party of a registered contract consents (or no longer consents) to announce it; it is public
    when both sides consent, with the amount only when both allow it."""
    side = permissions.check_publication(actor, contract)
    if not contract.is_registered:
        raise ValidationError(_("Only registered contracts can be announced."))
    now = timezone.now()
    with transaction.atomic():
        pub, _created = Publication.objects.select_for_update().get_or_create(contract=contract)
        if consent:
            setattr(pub, f"{side}_consent_at", now)
            setattr(pub, f"{side}_consent_by", actor)
            setattr(pub, f"{side}_shows_amount", bool(show_amount))
        else:
            setattr(pub, f"{side}_consent_at", None)
            setattr(pub, f"{side}_consent_by", None)
            setattr(pub, f"{side}_shows_amount", False)
        both = pub.seller_consent_at is not None and pub.buyer_consent_at is not None
        pub.published_at = (pub.published_at or now) if both else None
        pub.save()
        audit.record(
            pub,
            "announcements.publication.consented" if consent else "announcements.publication.withdrawn",
            actor=actor,
            data={"side": side, "show_amount": bool(show_amount) if consent else False},
        )
    return pub
