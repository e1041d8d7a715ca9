"""Erasing an account on request (个人信息保护法 art. 47), after a cooling-off period the user can cancel.

The user asks on ``/accounts/erase/`` (or ``POST /api/v1/auth/erasure/``) with their password; the request
waits ``ERASURE_COOLING_OFF_DAYS`` (15 by default) so a mistaken or coerced request can be cancelled, and
the daily sweep carries it out. Carrying it out:

- refuses (the request ends ``refused`` with the reason, the user is told) while a registered rule of an
  upper app objects (``registry.refuse_if_vetoed("accounts.erase", user=…)``): the sole admin of an
  organisation with open negotiations or contracts, a live auction registration;
- finds the user's records from the schema, as the copy of one's data does (``personal_data``), and
  decides per kind of record (``plan``): erased (what no law requires keeping), or kept;
- keeps the account row itself, emptied and renamed to a stable pseudonym (``已注销用户#…``), so every
  kept record (contracts and their registration, bids and the SM3 chain, payments, the audit log) shows
  the pseudonym instead of the person and no foreign key breaks; the sign-in is disabled, the password
  unusable (sessions die with it), every API token deleted, the e-mail freed for a new account;
- scrubs the person's name, e-mail and phone out of the audit entries about them or by them;
- writes ``accounts.user.erased`` to the audit log (with counts, never the erased values).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core import audit, registry
from techbridge.core.notifications import notify
from techbridge.core.roles import Role
from techbridge.core.workflow import (
    ReviewableListing,
    ReviewStatus,
    TransitionError,
    record_created,
    set_initial_state,
    transition,
)

from . import personal_data
from .models import ApiToken, ErasureRequest, ErasureStatus, User

log = logging.getLogger(__name__)

VETO = "accounts.erase"
PSEUDONYM_PREFIX = "已注销用户#"

ERASE = "erase"
KEEP = "keep"

# Kinds of record erased outright: no law requires keeping them. Matched by label, by app (everything a
# user saved for themselves in ``subscriptions``: follows, saved searches, channels) or by model name.
ERASE_LABELS = frozenset({"accounts.ApiToken", "core.Notification", "organizations.MembershipRequest"})
ERASE_APPS = frozenset({"subscriptions"})
ERASE_NAME_PARTS = ("Preference", "SavedSearch", "Subscription", "Channel")
# Listings never published (drafts, awaiting review, rejected) are erased too.
UNPUBLISHED = (ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.REJECTED)


@dataclass(frozen=True)
class Retention:
    """Why a kind of record is kept after erasure: the legal basis, in words for the page."""

    key: str
    title: Promise
    basis: Promise


# What the law requires keeping, by app label or model label (the first match wins).
RETENTIONS: list[tuple[tuple[str, ...], Retention]] = [
    (
        ("contracts",),
        Retention(
            "contracts",
            gettext_lazy("Contracts, signatures, registration and payments"),
            gettext_lazy(
                "Technology contracts and their registration are kept for inspection (Measures for the "
                "Registration of Technology Contracts; Civil Code, book three), payments as accounting "
                "records (Accounting Law; Measures for Accounting Archives)."
            ),
        ),
    ),
    (
        ("auctions",),
        Retention(
            "auctions",
            gettext_lazy("Auction registrations, deposits and bids (with the SM3 hash chain)"),
            gettext_lazy(
                "The auction records are kept for at least five years (Auction Law, art. 54); the bids "
                "stay in the hash chain that proves the outcome."
            ),
        ),
    ),
    (
        ("finance", "tto.Distribution", "tto.Income", "instruments.Invoice", "instruments.VoucherRedemption"),
        Retention(
            "accounting",
            gettext_lazy("Financing, rewards, invoices and vouchers"),
            gettext_lazy(
                "Records of money paid or received are accounting records and are kept for the legal "
                "period (Accounting Law; Measures for Accounting Archives)."
            ),
        ),
    ),
    (
        ("deals.Offer", "deals.Dispute", "achievements.NdaAcceptance"),
        Retention(
            "formation",
            gettext_lazy("Offers, disputes and confidentiality undertakings"),
            gettext_lazy(
                "They prove how a contract was formed and what each side undertook (Civil Code, "
                "arts. 471 and 501); the other side may need them in a dispute."
            ),
        ),
    ),
    (
        ("core.AuditEntry", "accounts.ErasureRequest"),
        Retention(
            "audit",
            gettext_lazy("The audit log"),
            gettext_lazy(
                "Network logs are kept for at least six months (Cybersecurity Law, art. 21) and the audit "
                "trail is required by MLPS 2.0 level 3; names, e-mail addresses and phone numbers in it "
                "are replaced by the pseudonym."
            ),
        ),
    ),
]
OTHERS = Retention(
    "others",
    gettext_lazy("Records of your organisation and of other people"),
    gettext_lazy(
        "Published listings, reports, bookings, messages and other records belong to your organisation or "
        "to the other side of a conversation; they stay, showing the pseudonym instead of your name "
        "(Personal Information Protection Law, art. 47: personal information is no longer processed "
        "beyond storage and protection)."
    ),
)


@dataclass
class Item:
    """One kind of the user's records and what erasure does with it."""

    label: str
    title: str
    count: int
    action: str  # ERASE or KEEP
    retention: Retention | None = None
    unpublished_only: bool = False


def cooling_off() -> timedelta:
    return timedelta(days=int(getattr(settings, "ERASURE_COOLING_OFF_DAYS", 15)))


def pseudonym_of(user: User) -> str:
    """A stable pseudonym: the same for every record of the user, and not derivable without the key."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|erased-user|{user.pk}".encode()).hexdigest()
    return f"{PSEUDONYM_PREFIX}{digest[:10]}"


def is_erased(user: Any) -> bool:
    return str(getattr(user, "real_name", "")).startswith(PSEUDONYM_PREFIX) and not user.is_active


def sole_admin_of(user: Any) -> Any:
    """The organisation ``user`` is the only active admin of, or ``None`` (for the vetoes of upper apps)."""
    if getattr(user, "role", None) != Role.ORG_ADMIN or not getattr(user, "organization_id", None):
        return None
    others = (
        User.objects.filter(organization_id=user.organization_id, role=Role.ORG_ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )
    return None if others else user.organization


def _retention(model: type[models.Model]) -> Retention | None:
    label = model._meta.label
    for keys, retention in RETENTIONS:
        if label in keys or model._meta.app_label in keys:
            return retention
    return None


def _erased_kind(model: type[models.Model]) -> bool:
    return (
        model._meta.label in ERASE_LABELS
        or model._meta.app_label in ERASE_APPS
        or any(part in model.__name__ for part in ERASE_NAME_PARTS)
    )


def _rows(model: type[models.Model], names: list[str], user: User) -> models.QuerySet:
    query = Q()
    for name in names:
        query |= Q(**{name: user})
    return model._default_manager.filter(query)


def plan(user: User) -> list[Item]:
    """What erasure would do with each kind of the user's records (found from the schema)."""
    items: list[Item] = []
    relations = personal_data._subject_relations()
    for model in sorted(relations, key=lambda m: m._meta.label):
        qs = _rows(model, relations[model], user)
        title = str(model._meta.verbose_name_plural)
        if _erased_kind(model):
            count = qs.count()
            if count:
                items.append(Item(model._meta.label, title, count, ERASE))
            continue
        if issubclass(model, ReviewableListing):
            drafts = qs.filter(status__in=UNPUBLISHED).count()
            if drafts:
                items.append(Item(model._meta.label, title, drafts, ERASE, unpublished_only=True))
            qs = qs.exclude(status__in=UNPUBLISHED)
        count = qs.count()
        if count:
            items.append(Item(model._meta.label, title, count, KEEP, _retention(model) or OTHERS))
    return items


def kept_groups(items: list[Item]) -> list[tuple[Retention, list[Item]]]:
    """The kept items grouped by why they are kept, in the order of ``RETENTIONS``."""
    order = [r for _keys, r in RETENTIONS] + [OTHERS]
    groups = []
    for retention in order:
        members = [i for i in items if i.action == KEEP and i.retention is retention]
        groups.append((retention, members))
    return groups


def refusal(user: User) -> str:
    """Why the account cannot be erased now ("" when it can)."""
    try:
        registry.refuse_if_vetoed(VETO, user=user)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return ""


def pending_request(user: Any) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user_id=user.pk, status=ErasureStatus.PENDING).first()


# ---- the user's moves -------------------------------------------------------------------------------


def request_erasure(user: User, *, actor: Any, password: str) -> ErasureRequest:
    """The user asks for their account to be erased; it is carried out after the cooling-off period."""
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("Only the person themselves may ask for their account to be erased."))
    if not password or authenticate(username=user.username, password=password) is None:
        raise ValidationError({"password": _("The password is not correct.")})
    reason = refusal(user)
    if reason:
        raise ValidationError(reason)
    now = timezone.now()
    req = ErasureRequest(user=user, requested_at=now, due_at=now + cooling_off())
    set_initial_state(req, ErasureStatus.PENDING)
    try:
        with transaction.atomic():
            req.save(force_insert=True)
            record_created(
                req, actor=actor, action="accounts.erasure.requested", data={"due_at": req.due_at.isoformat()}
            )
    except IntegrityError:
        raise TransitionError(_("You have already asked for your account to be erased.")) from None
    return req


def cancel_erasure(req: ErasureRequest, *, actor: Any) -> None:
    if getattr(actor, "pk", None) != req.user_id:
        raise PermissionDenied(_("Only the person themselves may cancel this request."))
    transition(
        req,
        ErasureStatus.CANCELLED,
        actor=actor,
        action="accounts.erasure.cancelled",
        changes={"finished_at": timezone.now()},
    )


# ---- carrying it out ---------------------------------------------------------------------------------


def execute_due(now: Any = None) -> int:
    """Carry out every request whose cooling-off period has passed (the daily sweep); idempotent."""
    now = now or timezone.now()
    done = 0
    for req in ErasureRequest.objects.filter(status=ErasureStatus.PENDING, due_at__lte=now).select_related(
        "user"
    ):
        try:
            if execute(req):
                done += 1
        except TransitionError:  # cancelled or carried out by someone else meanwhile
            continue
    return done


def execute(req: ErasureRequest) -> bool:
    """Erase the account of ``req`` now, or refuse with the reason. Returns whether it was erased."""
    with translation.override(settings.LANGUAGE_CODE):  # the stored reason is in the platform's language
        return _execute(req)


def _execute(req: ErasureRequest) -> bool:
    user = req.user
    reason = refusal(user)
    if reason:
        with transaction.atomic():
            transition(
                req,
                ErasureStatus.REFUSED,
                actor=None,
                action="accounts.erasure.refused",
                changes={"finished_at": timezone.now(), "reason": reason[:500]},
            )
            notify(
                user,
                kind="account_erasure",
                title=_("Your account was not erased"),
                body=reason,
                link="/accounts/erase/",
                dedupe_key=f"erasure-refused-{req.pk}",
            )
        return False
    pseudonym = pseudonym_of(user)
    identifiers = _identifiers(user)
    with transaction.atomic():
        counts = _erase_records(user)
        scrubbed = _scrub_audit(user, identifiers, pseudonym)
        _empty_account(user, pseudonym)
        transition(
            req,
            ErasureStatus.DONE,
            actor=None,
            action="accounts.erasure.executed",
            changes={"finished_at": timezone.now(), "pseudonym": pseudonym},
        )
        audit.record(
            user,
            "accounts.user.erased",
            actor=None,
            data={"erased": counts, "audit_entries_scrubbed": scrubbed},
        )
    log.info("account %s erased (%s)", user.pk, pseudonym)
    return True


def _erase_records(user: User) -> dict[str, int]:
    counts: dict[str, int] = {}
    relations = personal_data._subject_relations()
    for model in sorted(relations, key=lambda m: m._meta.label):
        qs = _rows(model, relations[model], user)
        if _erased_kind(model):
            pass
        elif issubclass(model, ReviewableListing):
            qs = qs.filter(status__in=UNPUBLISHED)
        else:
            continue
        try:
            with transaction.atomic():
                n = qs.count()
                qs.delete()
        except (ProtectedError, RestrictedError):  # something kept points at some: one by one
            n = 0
            for obj in qs.iterator():
                try:
                    with transaction.atomic():
                        obj.delete()
                    n += 1
                except (ProtectedError, RestrictedError):  # a kept record points at it: it stays
                    continue
        if n:
            counts[model._meta.label] = n
    return counts


def _identifiers(user: User) -> list[str]:
    values = [user.email, user.phone, user.real_name, f"{user.first_name}{user.last_name}".strip()]
    if len(user.username) >= 4:
        values.append(user.username)
    return sorted({v for v in values if v and len(v) >= 2}, key=len, reverse=True)


def _scrub(text: str, identifiers: list[str], pseudonym: str) -> str:
    for value in identifiers:
        text = text.replace(value, pseudonym)
    return text


def _scrub_audit(user: User, identifiers: list[str], pseudonym: str) -> int:
    """Replace the person's name, e-mail and phone in the audit entries about them or by them."""
    from django.contrib.contenttypes.models import ContentType

    from techbridge.core.models import AuditEntry

    if not identifiers:
        return 0
    ct = ContentType.objects.get_for_model(User)
    changed = []
    entries = AuditEntry.objects.filter(Q(actor=user) | Q(content_type=ct, object_id=str(user.pk)))
    for entry in entries.only("pk", "message", "data").iterator():
        data_text = json.dumps(entry.data, ensure_ascii=False)
        new_data = _scrub(data_text, identifiers, pseudonym)
        new_message = _scrub(entry.message, identifiers, pseudonym)
        if new_data != data_text or new_message != entry.message:
            entry.data = json.loads(new_data)
            entry.message = new_message
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["data", "message"], batch_size=500)
    return len(changed)


def _empty_account(user: User, pseudonym: str) -> None:
    ApiToken.objects.filter(user=user).delete()
    user.username = f"erased-{pseudonym.removeprefix(PSEUDONYM_PREFIX)}"
    user.real_name = pseudonym
    user.first_name = user.last_name = ""
    user.email = ""
    user.phone = ""
    user.title = ""
    user.organization = None
    user.role = Role.MEMBER
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
