"""Writes to technology contracts: drafts, signatures, amendments, payments and registration.

Every function takes ``actor=`` (a user, or ``None`` for the system, e.g. an auction closing),
validates the whole record, writes inside ``transaction.atomic()``, moves status only through
``core.workflow.transition`` and leaves an audit entry. Contracts never import ``deals``: the
negotiation room calls :func:`create_draft_contract` when an offer is accepted.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import TransitionError, record_created, set_initial_state, transition
from techbridge.lib.text import strip_invisible
from techbridge.organizations.choices import District

from . import clauses as model_texts
from . import seal
from .choices import MAX_SCHEDULE_ITEMS, SUB_TYPES, ContractStatus, DisputeMethodChoices, Origin, SignMethod
from .models import Clause, ClauseVersion, Contract, Instalment, Payment, Signature
from .parties import SIDES, PartyKind, normalise_id, party_fields
from .permissions import can_edit, can_enter_for, check_register, check_seller, in_force, side_of
from .rules import Classification, Subject, get_rules

# Fields a party may change while the contract is a draft.
EDITABLE_FIELDS = (
    "title",
    "contract_type",
    "sub_type",
    "deal_mode",
    "subject_kind",
    "subject_legal_status",
    "field",
    "total_amount",
    "equipment_amount",
    "materials_amount",
    "other_non_tech_amount",
    "carrier_amount",
    "payment_terms",
    "royalty_rate",
    "duration_months",
    "territory",
    "exclusivity",
    "terms",
)


# ---- creation --------------------------------------------------------------------------------


def _new_number() -> str:
    return f"HT{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


# Either party may be a natural person or an organisation abroad (认定规则 art. 4): declared with these
# fields. An outside contract then has no platform organisation on that side; a contract made on the
# platform keeps the organisation that acts for the party (it negotiates and signs on the platform).
SELLER_PARTY_FIELDS = party_fields("seller")
BUYER_PARTY_FIELDS = party_fields("buyer")
PARTY_FIELDS = (*SELLER_PARTY_FIELDS, *BUYER_PARTY_FIELDS)


def _snapshot_parties(contract: Contract) -> None:
    """Copy each party's name and identification onto the contract, so it reads the same later."""
    for side in SIDES:
        org = getattr(contract, side)
        kind = getattr(contract, f"{side}_party_kind") or PartyKind.ORGANIZATION
        setattr(contract, f"{side}_party_kind", kind)
        if kind == PartyKind.ORGANIZATION:
            setattr(contract, f"{side}_name", org.name if org is not None else "")
            setattr(contract, f"{side}_credit_code", (org.credit_code or "") if org is not None else "")
            for name in ("id_type", "id_number", "country"):
                setattr(contract, f"{side}_{name}", "")
            if side == "seller":
                contract.seller_district = ""
            continue
        setattr(contract, f"{side}_name", (getattr(contract, f"{side}_name") or "").strip()[:200])
        setattr(contract, f"{side}_credit_code", "")
        setattr(contract, f"{side}_id_number", normalise_id(getattr(contract, f"{side}_id_number")))
        setattr(contract, f"{side}_country", (getattr(contract, f"{side}_country") or "").strip()[:60])
        if kind != PartyKind.PERSON:
            setattr(contract, f"{side}_id_type", "")
            setattr(contract, f"{side}_id_number", "")
        if side == "seller" and kind == PartyKind.FOREIGN:
            contract.seller_district = District.OUTSIDE


def missing_party_codes(contract: Contract) -> list[str]:
    """What stands between a contract and registration on the parties' side, saying what to do.

    An organisation registered in China is identified by its unified social credit code (认定登记
    needs it). Before signing the organisations' current codes count (an admin may have added one
    since the draft was made); afterwards the copy on the contract.
    """
    draft = contract.status == ContractStatus.DRAFT
    parties: list[tuple[Any, str]] = []
    # A natural person or an organisation abroad is identified otherwise (认定规则 art. 4).
    if contract.seller_party_kind == PartyKind.ORGANIZATION and contract.seller is not None:
        parties.append((contract.seller, contract.seller_credit_code))
    if contract.buyer_party_kind == PartyKind.ORGANIZATION and contract.buyer is not None:
        parties.append((contract.buyer, contract.buyer_credit_code))
    problems = []
    for org, copied in parties:
        code = (org.credit_code or "") if (draft or not copied) else copied
        if not code:
            problems.append(
                _(
                    "%(org)s has no unified social credit code on the platform yet, so the contract cannot "
                    "be signed or registered. An administrator of %(org)s enters the 18-character code on "
                    "the organisation's profile page (我的机构 → 编辑机构资料), then the contract can go on."
                )
                % {"org": org.name}
            )
    return problems


def _refresh_party_codes(contract: Contract) -> None:
    """Copy codes the parties' organisations added since the contract was drafted (blanks only)."""
    changes = {}
    seller = contract.seller if contract.seller_id is not None else None
    if seller is not None and not contract.seller_credit_code and seller.credit_code:
        changes["seller_credit_code"] = seller.credit_code
    buyer = contract.buyer if contract.buyer_id is not None else None
    if buyer is not None and not contract.buyer_credit_code and buyer.credit_code:
        changes["buyer_credit_code"] = buyer.credit_code
    if changes:
        Contract.objects.filter(pk=contract.pk).update(**changes)
        for name, value in changes.items():
            setattr(contract, name, value)


def subjects_of(achievement: Any = None, package: Any = None) -> list[Subject]:
    """The subject(s) of a contract: the achievement, or every achievement of the package."""
    if achievement is not None:
        return [Subject(achievement.kind, achievement.legal_status or "")]
    if package is not None:
        return [Subject(a.kind, a.legal_status or "") for a in package.achievements.order_by("pk")]
    return []


def common_subject(subjects: list[Subject]) -> Subject:
    """The kind and legal status all subjects share (each blank where they differ)."""
    kinds = {s.kind for s in subjects}
    statuses = {s.legal_status for s in subjects}
    if len(kinds) != 1:
        return Subject("")
    return Subject(kinds.pop(), statuses.pop() if len(statuses) == 1 else "")


def classify_contract(contract: Contract) -> Classification:
    """What the rules say of a contract as it stands (its subject, deal mode and declared type)."""
    subject = contract.subject
    return get_rules().classify(
        deal_mode=contract.deal_mode,
        subjects=[subject] if subject else subjects_of(contract.achievement, contract.package),
        contract_type=contract.contract_type,
        sub_type=contract.sub_type,
    )


def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({label: _("Enter an amount in yuan.")}) from None
    if not amount.is_finite():
        raise ValidationError({label: _("Enter an amount in yuan.")})
    return amount.quantize(Decimal("0.01"))


def create_draft_contract(
    *,
    actor: Any,
    seller: Any,
    buyer: Any,
    title: str,
    amount: Decimal,
    achievement: Any = None,
    package: Any = None,
    deal_mode: str = "",
    origin: str = Origin.NEGOTIATION,
    origin_ref: str = "",
) -> Contract:
    """Create a draft technology contract between ``seller`` and ``buyer`` (organisations).

    ``amount`` is the total contract price in Decimal yuan. The type and sub-type are classified by
    the registration rules from ``deal_mode`` (a ``taxonomy.DealMode`` code) and the achievement's
    kind; the industry field is the achievement's (or package's) first field. ``origin`` is
    ``"negotiation"``, ``"auction"`` or ``"external"``, ``origin_ref`` a free reference such as
    ``"offer:12"`` or ``"lot:7"``. ``actor`` is a member of either party, a platform staff member, or
    ``None`` when the system acts (an auction closing). The contract starts in ``draft`` with an audit
    entry ``create``; the parties then complete it and both sign. Where the rules cannot decide the
    type or sub-type (unknown deal mode, a patent without a stated legal status, package members that
    differ) they stay blank and the parties choose before signing. Raises ``ValidationError`` on bad
    input and ``PermissionDenied`` for an actor outside both parties.
    """
    if origin not in Origin.values:
        raise ValidationError({"origin": _("Unknown contract origin.")})
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Only the parties or platform staff can create this contract."))
    if actor is not None:
        org_id = getattr(actor, "organization_id", None)
        if org_id not in (seller.pk, buyer.pk) and not is_staff_reviewer(actor):
            raise PermissionDenied(_("Only the parties or platform staff can create this contract."))
    total = _money(amount, "total_amount")
    subjects = subjects_of(achievement, package)
    common = common_subject(subjects) if subjects else Subject("")
    cls = get_rules().classify(deal_mode=deal_mode or "", subjects=subjects)
    field = None
    if achievement is not None:
        field = achievement.fields.order_by("order").first()
    elif package is not None:
        field = package.field
    contract = Contract(
        number=_new_number(),
        title=strip_invisible(title or "")[:200],
        contract_type=cls.contract_type,
        sub_type=cls.sub_type,
        seller=seller,
        buyer=buyer,
        achievement=achievement,
        package=package,
        field=field,
        deal_mode=deal_mode or "",
        subject_kind=common.kind,
        subject_legal_status=common.legal_status if common.kind else "",
        total_amount=total,
        origin=origin,
        origin_ref=origin_ref[:100],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not contract.title:
        raise ValidationError({"title": _("Give the contract a title.")})
    _snapshot_parties(contract)
    contract.full_clean()
    with transaction.atomic():
        contract.save()
        record_created(
            contract,
            actor=actor,
            action="contracts.contract.drafted",
            data={"origin": origin, "origin_ref": origin_ref, "amount": str(total)},
        )
        sync_clauses(contract)
        _notify_parties(
            contract, _("A draft contract is ready: %(title)s") % {"title": contract.title}, actor
        )
    return contract


def enter_external_contract(*, actor: Any, data: dict[str, Any], signed_on: date) -> Contract:
    """Enter a contract made outside the platform, already signed on ``signed_on``, for registration.

    The seller side (or a registry officer transcribing a paper application) enters it; it starts
    ``signed`` so the seller can submit it. ``data`` holds the editable contract fields plus, for each
    side, the ``seller``/``buyer`` organisation or, for a natural person or an organisation abroad,
    ``None`` with ``PARTY_FIELDS`` (kind, name, identity document, country; a person seller's district).
    Only a registry officer enters a contract whose seller is not a platform organisation (an
    individual inventor applies at the registry's counter, 管理办法, 按地域一次登记); the officer then
    submits it.
    """
    seller, buyer = data.get("seller"), data.get("buyer")
    if not can_enter_for(actor, seller):
        raise PermissionDenied(_("Only the seller side or a registry officer can enter an outside contract."))
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    values = {k: v for k, v in data.items() if k in EDITABLE_FIELDS or k in PARTY_FIELDS}
    if isinstance(values.get("title"), str):
        values["title"] = strip_invisible(values["title"])
    values.setdefault("total_amount", Decimal("0"))
    for side, org in (("seller", seller), ("buyer", buyer)):
        if org is not None:
            values[f"{side}_party_kind"] = PartyKind.ORGANIZATION
    contract = Contract(
        number=_new_number(),
        seller=seller,
        buyer=buyer,
        origin=Origin.EXTERNAL,
        origin_ref=str(data.get("origin_ref", ""))[:100],
        created_by=actor,
        **values,
    )
    set_initial_state(contract, ContractStatus.SIGNED)
    cls = classify_contract(contract)
    if not cls.decided:
        # An outside contract is signed already: its type is declared now, not guessed (认定规则).
        raise ValidationError({"sub_type": cls.question})
    contract.contract_type, contract.sub_type = cls.contract_type, cls.sub_type
    signed_at = timezone.make_aware(datetime.combine(signed_on, time.min))
    contract.signed_at = signed_at
    _snapshot_parties(contract)
    contract.full_clean()
    with transaction.atomic():
        contract.save()
        record_created(
            contract,
            actor=actor,
            action="contracts.contract.entered",
            data={"signed_on": signed_on.isoformat(), "amount": str(contract.total_amount)},
        )
    return contract


# ---- drafting --------------------------------------------------------------------------------


def update_draft(contract: Contract, *, actor: Any, data: dict[str, Any]) -> Contract:
    """Change a draft's terms (either party). A signed contract is frozen: amend it instead."""
    if contract.status != ContractStatus.DRAFT:
        raise TransitionError(_("A signed contract cannot be edited; create an amendment instead."))
    if not can_edit(actor, contract):
        raise PermissionDenied(_("Only the parties can edit this contract."))
    if isinstance(data.get("title"), str):
        data = {**data, "title": strip_invisible(data["title"])}
    changed = []
    for name in EDITABLE_FIELDS:
        if name in data and getattr(contract, name) != data[name]:
            setattr(contract, name, data[name])
            changed.append(name)
    # Each side declares its own party (认定规则 art. 4): the organisation acting for it, or a natural
    # person / an organisation abroad it acts for. The other side's declaration is not theirs to change.
    side = side_of(actor, contract)
    own = SELLER_PARTY_FIELDS if side == "seller" else BUYER_PARTY_FIELDS
    other = BUYER_PARTY_FIELDS if side == "seller" else SELLER_PARTY_FIELDS
    if any(name in data and data[name] != getattr(contract, name) for name in other):
        raise PermissionDenied(
            _("Each side declares its own party; the other side's is not yours to change.")
        )
    before = {name: getattr(contract, name) for name in (*own, f"{side}_credit_code")}
    for name in own:
        if name in data:
            setattr(contract, name, data[name] if data[name] is not None else "")
    if any(name in data for name in own):
        _snapshot_parties(contract)
        for name, value in before.items():
            if getattr(contract, name) != value:
                changed.append(name)
    if not changed:
        return contract
    if not contract.sub_type:
        # Fill what the rules can now decide (e.g. the legal status was just stated); never guess.
        cls = classify_contract(contract)
        for name, value in (("contract_type", cls.contract_type), ("sub_type", cls.sub_type)):
            if value and getattr(contract, name) != value:
                setattr(contract, name, value)
                if name not in changed:
                    changed.append(name)
    contract.full_clean()
    contract.updated_at = timezone.now()
    with transaction.atomic():
        # Conditional save: a signature that landed meanwhile freezes the text.
        rows = Contract.objects.filter(pk=contract.pk, status=ContractStatus.DRAFT).update(
            updated_at=contract.updated_at, **{n: getattr(contract, n) for n in changed}
        )
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        audit.record(contract, "contracts.contract.edited", actor=actor, data={"fields": changed})
        sync_clauses(contract)
        # Any edit voids a signature given to the previous text (the parties are told).
        void_signatures(contract, actor=actor)
    return contract


def set_schedule(contract: Contract, *, actor: Any, items: list[dict[str, Any]]) -> None:
    """Replace a draft's payment schedule and milestones (``description``, ``due_date``, ``amount``)."""
    if not can_edit(actor, contract):
        raise PermissionDenied(_("Only the parties can edit a draft contract."))
    if len(items) > MAX_SCHEDULE_ITEMS:
        raise ValidationError(
            {
                "schedule": _("A schedule has at most %(max)s payments and milestones.")
                % {"max": MAX_SCHEDULE_ITEMS}
            }
        )
    rows = []
    for i, item in enumerate(items, start=1):
        desc = str(item.get("description", "")).strip()
        if not desc:
            raise ValidationError(
                {"schedule": _("Line %(n)s: describe the payment or milestone.") % {"n": i}}
            )
        amount = item.get("amount")
        amount = None if amount in (None, "") else _money(amount, "amount")
        if amount is not None and amount < 0:
            raise ValidationError({"schedule": _("Line %(n)s: amounts cannot be negative.") % {"n": i}})
        rows.append(
            Instalment(
                contract=contract, description=desc[:200], due_date=item.get("due_date"), amount=amount
            )
        )
    planned = sum((r.amount or Decimal("0") for r in rows), Decimal("0"))
    if planned > contract.total_amount:
        raise ValidationError({"schedule": _("The scheduled payments exceed the contract amount.")})
    before = [(i.description, i.due_date, i.amount) for i in contract.instalments.order_by("id")]
    if before == [(r.description, r.due_date, r.amount) for r in rows]:
        return  # saved unchanged: nothing to record, no signature voided
    with transaction.atomic():
        contract.instalments.all().delete()
        Instalment.objects.bulk_create(rows)
        void_signatures(contract, actor=actor)
        audit.record(
            contract,
            "contracts.contract.schedule_set",
            actor=actor,
            data={"items": len(rows), "planned": str(planned)},
        )


def cancel_draft(contract: Contract, *, actor: Any, reason: str = "") -> None:
    """Abandon a draft (either party)."""
    if not side_of(actor, contract):
        raise PermissionDenied(_("Only the parties can cancel this contract."))
    transition(
        contract, ContractStatus.CANCELLED, actor=actor, action="contracts.contract.cancelled", message=reason
    )


def sign_contract(contract: Contract, *, actor: Any, method: str = "", address: str = "") -> Signature:
    """Sign the draft for the actor's organisation; when both sides have signed it becomes ``signed``.

    The signing user and time are recorded, with how the signer proved it was them (``method``) and the
    client ``address`` — the pages and the API sign through :func:`sign_with_password`, which asks for
    the password again. Staff and officials are not parties and cannot sign.
    """
    side = side_of(actor, contract)
    if not side:
        raise PermissionDenied(_("Only a member of one of the parties can sign this contract."))
    if contract.status != ContractStatus.DRAFT:
        raise TransitionError(_("This contract is no longer open for signature."))
    if not (contract.contract_type and contract.sub_type in SUB_TYPES.get(contract.contract_type, [])):
        question = classify_contract(contract).question or _("Choose the sub-type of the contract.")
        raise ValidationError(
            {"sub_type": _("Decide the contract type first. %(question)s") % {"question": question}}
        )
    missing = missing_party_codes(contract)
    if missing:
        raise ValidationError({"parties": missing})
    with transaction.atomic():
        _refresh_party_codes(contract)
        # Two sides signing at the same moment must not both miss the other's signature: on
        # PostgreSQL the row lock serialises them; SQLite serialises writers anyway.
        locked = (
            Contract.objects.select_for_update()
            .filter(pk=contract.pk)
            .values_list("status", flat=True)
            .first()
        )
        if locked != ContractStatus.DRAFT:
            raise TransitionError(_("This contract is no longer open for signature."))
        try:
            with transaction.atomic():
                # Sealed: the signed text, the signer and the time, chained to the other side's signature.
                prev = Signature.objects.filter(contract=contract).order_by("signed_at", "id").last()
                sig = Signature(
                    contract=contract,
                    side=side,
                    organization_id=actor.organization_id,
                    user=actor,
                    signed_at=timezone.now(),
                    method=method,
                    client_address=(address or "")[:64],
                    prev_hash=prev.hash if prev is not None else "",
                )
                sig.hash = seal.hash_signature(sig, digest=seal.terms_digest(contract))
                sig.save()
        except IntegrityError:
            raise TransitionError(_("Your side has already signed this contract.")) from None
        evidence = (
            {"side": side, "method": method, "address": sig.client_address} if method else {"side": side}
        )
        audit.record(contract, "contracts.contract.party_signed", actor=actor, data=evidence)
        if Signature.objects.filter(contract=contract).count() == 2:
            now = timezone.now()
            transition(
                contract,
                ContractStatus.SIGNED,
                actor=actor,
                action="contracts.contract.signed",
                changes={"signed_at": now},
            )
            if contract.previous_id:
                previous = Contract.objects.get(pk=contract.previous_id)
                if previous.can_move_to(ContractStatus.SUPERSEDED):
                    transition(
                        previous,
                        ContractStatus.SUPERSEDED,
                        actor=actor,
                        action="contracts.contract.superseded",
                        data={"by": contract.number},
                    )
            _notify_parties(contract, _("Both sides signed %(title)s") % {"title": contract.title}, actor)
        else:
            _notify_parties(
                contract,
                _("%(org)s signed %(title)s") % {"org": actor.organization.name, "title": contract.title},
                actor,
            )
    return sig


def sign_with_password(contract: Contract, *, actor: Any, password: str, address: str) -> Signature:
    """Sign after confirming it is the actor: the account's password entered again (re-authentication).

    A wrong password is refused with a message and counted like a failed sign-in (the account locks after
    ``LOGIN_MAX_ATTEMPTS`` failures, for sign-in and signing alike); the signature keeps the method and the
    client address as its evidence, sealed with it (``seal``) and in the audit entry.
    """
    from techbridge.accounts import services as accounts

    if not side_of(actor, contract):
        raise PermissionDenied(_("Only a member of one of the parties can sign this contract."))
    username = actor.get_username()
    if accounts.login_blocked(username, address):
        minutes = max(1, -(-settings.LOGIN_LOCKOUT_SECONDS // 60))
        raise PermissionDenied(
            _(
                "Too many wrong passwords. Signing and signing in are locked for %(minutes)s minutes; "
                "try again later."
            )
            % {"minutes": minutes}
        )
    if not password or not actor.check_password(password):
        accounts.record_login_failure(username, address)
        accounts.slow_down(address)
        raise ValidationError(
            {
                "password": _(
                    "The password is wrong: the contract was not signed. Enter your sign-in password."
                )
            }
        )
    accounts.clear_login_failures(username, address)
    return sign_contract(contract, actor=actor, method=SignMethod.PASSWORD, address=address)


def void_signatures(contract: Contract, *, actor: Any) -> list[str]:
    """An edit of a draft voids the signatures given to the previous text: removed, audited, the parties told.

    Returns the sides whose signature was voided; ``contract.voided_sides`` keeps them for the page's and
    the API's message (:func:`voided_message`).
    """
    sides = list(Signature.objects.filter(contract=contract).order_by("id").values_list("side", flat=True))
    contract.voided_sides = [*getattr(contract, "voided_sides", []), *sides]
    if not sides:
        return []
    Signature.objects.filter(contract=contract).delete()
    audit.record(contract, "contracts.contract.signatures_voided", actor=actor, data={"sides": sides})
    _notify_parties(contract, voided_message(sides, contract.title), actor)
    return sides


def voided_message(sides: list[str], title: str = "") -> str:
    """What a party is told when an edit voided signatures (empty when none was)."""
    if not sides:
        return ""
    from .choices import Side

    names = "、".join(str(Side(s).label) for s in dict.fromkeys(sides))
    return _(
        "The text of %(title)s changed after %(sides)s signed: those signatures are void. Both sides "
        "review the new text and sign again."
    ) % {"title": title or _("the contract"), "sides": names}


# ---- clauses (条款) ----------------------------------------------------------------------------


def sync_clauses(contract: Contract) -> None:
    """Give a draft its type's clauses, filled from the contract as it stands now.

    Called when a draft is made and whenever its terms change. A clause no party has edited follows the
    contract (a changed amount or party rewrites it, as a new version); a party's own text is kept as
    written. A type change brings the new type's clauses; the old type's unedited ones go, edited ones stay.
    """
    if contract.status != ContractStatus.DRAFT:
        return
    wanted = model_texts.model_clauses(contract)
    if not wanted:
        return
    current = {c.key: c for c in Clause.objects.filter(contract=contract)}
    kept = dict(
        ClauseVersion.objects.filter(contract=contract)
        .values("key")
        .annotate(last=Max("version"))
        .values_list("key", "last")
    )
    keys = [key for key, _heading, _text in wanted]
    now = timezone.now()
    new_versions = []
    for position, (key, heading, text) in enumerate(wanted, start=1):
        clause = current.get(key)
        if clause is None:
            # A key the contract had under another type goes on from its last kept version.
            clause = Clause.objects.create(
                contract=contract,
                key=key,
                position=position,
                heading=heading,
                text=text,
                edited_at=now,
                version=kept.get(key, 0) + 1,
            )
            new_versions.append(clause)
            continue
        if clause.edited_by_id is None and (clause.text != text or clause.heading != heading):
            clause.text, clause.heading, clause.version, clause.edited_at = (
                text,
                heading,
                clause.version + 1,
                now,
            )
            clause.position = position
            clause.save(update_fields=["text", "heading", "version", "edited_at", "position"])
            new_versions.append(clause)
        elif clause.position != position:
            Clause.objects.filter(pk=clause.pk).update(position=position)
    tail = len(wanted)
    for key, clause in current.items():
        if key in keys:
            continue
        if clause.edited_by_id is None:
            clause.delete()
        else:
            tail += 1
            Clause.objects.filter(pk=clause.pk).update(position=tail)
    ClauseVersion.objects.bulk_create(
        ClauseVersion(
            contract=contract,
            key=c.key,
            version=c.version,
            heading=c.heading,
            text=c.text,
            edited_by_id=c.edited_by_id,
            edited_at=c.edited_at,
        )
        for c in new_versions
    )


def edit_clause(
    contract: Contract,
    *,
    actor: Any,
    key: str,
    text: str | None = None,
    dispute_method: str | None = None,
    dispute_venue: str | None = None,
) -> Clause:
    """A party rewrites one clause of a draft; the previous text stays as a version.

    For the dispute clause the parties may instead choose the forum (``dispute_method``: arbitration or
    a court; ``dispute_venue``: which commission or court) and the clause is rewritten from the choice.
    Signatures given to the previous text are voided (``contract.voided_sides``). Audited as
    ``contracts.contract.clause_edited``.
    """
    if not side_of(actor, contract):
        raise PermissionDenied(_("Only the parties can edit this contract."))
    if contract.status != ContractStatus.DRAFT:
        raise TransitionError(_("A signed contract cannot be edited; create an amendment instead."))
    clause = Clause.objects.filter(contract=contract, key=key).first()
    if clause is None:
        raise ValidationError({"key": _("This contract has no such clause.")})
    changes: dict[str, Any] = {}
    if key == model_texts.DISPUTES_KEY and (dispute_method is not None or dispute_venue is not None):
        method = dispute_method if dispute_method is not None else contract.dispute_method
        if method not in DisputeMethodChoices.values:
            raise ValidationError({"dispute_method": _("Choose arbitration or a people's court.")})
        venue = strip_invisible(
            dispute_venue if dispute_venue is not None else contract.dispute_venue
        ).strip()
        if len(venue) > model_texts.VENUE_MAX:
            raise ValidationError(
                {"dispute_venue": _("At most %(max)s characters.") % {"max": model_texts.VENUE_MAX}}
            )
        changes = {"dispute_method": method, "dispute_venue": venue}
        if text is None:
            text = model_texts.dispute_text(method, venue)
    text = strip_invisible(text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("A clause cannot be empty; write its text.")})
    if len(text) > model_texts.CLAUSE_TEXT_MAX:
        raise ValidationError(
            {
                "text": _("A clause has at most %(max)s characters (this one has %(n)s).")
                % {"max": model_texts.CLAUSE_TEXT_MAX, "n": len(text)}
            }
        )
    same_choice = all(getattr(contract, name) == value for name, value in changes.items())
    if text == clause.text and same_choice:
        contract.voided_sides = []
        return clause
    now = timezone.now()
    with transaction.atomic():
        rows = Contract.objects.filter(pk=contract.pk, status=ContractStatus.DRAFT).update(
            updated_at=now, **changes
        )
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        for name, value in changes.items():
            setattr(contract, name, value)
        contract.updated_at = now
        version = clause.version + 1
        if (
            Clause.objects.filter(pk=clause.pk, version=clause.version).update(
                text=text, version=version, edited_by=actor, edited_at=now
            )
            != 1
        ):
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        clause.text, clause.version, clause.edited_by, clause.edited_at = text, version, actor, now
        ClauseVersion.objects.create(
            contract=contract,
            key=key,
            version=version,
            heading=clause.heading,
            text=text,
            edited_by=actor,
            edited_at=now,
        )
        audit.record(
            contract,
            "contracts.contract.clause_edited",
            actor=actor,
            data={"clause": clause.heading, "version": version, **changes},
        )
        void_signatures(contract, actor=actor)
    return clause


def amend_contract(contract: Contract, *, actor: Any) -> Contract:
    """Start an amendment: a new draft version copying a signed contract's terms and schedule.

    The signed version stays valid (and registered, if it was) until both sides sign the amendment,
    which then supersedes it.
    """
    if not side_of(actor, contract):
        raise PermissionDenied(_("Only the parties can amend this contract."))
    if not in_force(contract):
        raise TransitionError(_("Only a signed contract can be amended; edit the draft instead."))
    if Contract.objects.filter(previous=contract).exists():
        raise TransitionError(_("An amendment of this contract already exists."))
    new = Contract(
        number=_new_number(),
        seller=contract.seller,
        buyer=contract.buyer,
        achievement=contract.achievement,
        package=contract.package,
        origin=contract.origin,
        origin_ref=contract.origin_ref,
        version=contract.version + 1,
        previous=contract,
        created_by=actor,
        dispute_method=contract.dispute_method,
        dispute_venue=contract.dispute_venue,
        **{name: getattr(contract, name) for name in (*EDITABLE_FIELDS, *PARTY_FIELDS)},
    )
    _snapshot_parties(new)
    with transaction.atomic():
        try:
            with transaction.atomic():
                new.save()
        except IntegrityError:
            raise TransitionError(_("An amendment of this contract already exists.")) from None
        Instalment.objects.bulk_create(
            Instalment(contract=new, description=i.description, due_date=i.due_date, amount=i.amount)
            for i in contract.instalments.all()
        )
        # The amendment starts from the signed text, clause by clause (each its version 1 again).
        copied = [
            Clause(
                contract=new,
                key=c.key,
                position=c.position,
                heading=c.heading,
                text=c.text,
                edited_by_id=c.edited_by_id,
                edited_at=c.edited_at,
            )
            for c in contract.clauses.all()
        ]
        Clause.objects.bulk_create(copied)
        ClauseVersion.objects.bulk_create(
            ClauseVersion(
                contract=new,
                key=c.key,
                version=1,
                heading=c.heading,
                text=c.text,
                edited_by_id=c.edited_by_id,
                edited_at=c.edited_at,
            )
            for c in copied
        )
        audit.record(contract, "contracts.contract.amended", actor=actor, data={"amendment": new.number})
        record_created(
            new, actor=actor, action="contracts.contract.drafted", data={"amends": contract.number}
        )
    return new


def record_payment(contract: Contract, *, actor: Any, paid_on: date, amount: Any, note: str = "") -> Payment:
    """Record a payment made under a signed contract (either party)."""
    if not side_of(actor, contract):
        raise PermissionDenied(_("Only the parties can record payments."))
    if not in_force(contract):
        raise TransitionError(_("Payments are recorded against a signed contract."))
    value = _money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": _("A payment must be more than zero.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    with transaction.atomic():
        payment = Payment.objects.create(
            contract=contract, paid_on=paid_on, amount=value, note=note[:200], recorded_by=actor
        )
        audit.record(
            contract,
            "contracts.contract.payment_recorded",
            actor=actor,
            data={"amount": str(value), "paid_on": paid_on.isoformat()},
        )
    return payment


# ---- registration (技术合同认定登记) -------------------------------------------------------------


def submit_for_registration(contract: Contract, *, actor: Any) -> None:
    """The seller side applies for registration of a signed (or previously refused) contract."""
    check_seller(actor, contract)
    missing = missing_party_codes(contract)
    if missing:
        raise ValidationError({"parties": missing})
    with transaction.atomic():
        _refresh_party_codes(contract)
        transition(
            contract,
            ContractStatus.SUBMITTED,
            actor=actor,
            action="contracts.contract.submitted",
            changes={"submitted_at": timezone.now(), "reject_reason": ""},
        )


def _next_registration_number() -> str:
    year = timezone.localdate().year
    prefix = f"{year}3201"
    last = (
        Contract.objects.filter(registration_number__startswith=prefix)
        .order_by("-registration_number")
        .values_list("registration_number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def register_contract(
    contract: Contract,
    *,
    actor: Any,
    contract_type: str = "",
    sub_type: str = "",
    technology_amount: Any = None,
    subject_legal_status: str | None = None,
    carrier_amount: Any = None,
) -> None:
    """Register a submitted contract: classify it, certify its 技术交易额 and give it a number.

    The officer may correct the type/sub-type and record the subject's legal status as checked in the
    CNIPA register (``subject_legal_status``); ``carrier_amount`` is the accepted direct cost of items
    carrying the technology (default: as declared), which the certified amount does not deduct. The
    amount defaults to what the rules certify and may not exceed the contract amount. Blocking checks
    of the rules must pass (the failed ones are the reasons to refuse). Parties are notified.
    """
    from techbridge.achievements.choices import LegalStatus

    check_register(actor, contract)
    rules = get_rules()
    ctype = contract_type or contract.contract_type
    stype = sub_type or (contract.sub_type if ctype == contract.contract_type else "")
    if sub_type and sub_type not in SUB_TYPES.get(ctype, []):
        raise ValidationError({"sub_type": _("This sub-type does not belong to the contract type.")})
    if subject_legal_status and subject_legal_status not in LegalStatus.values:
        raise ValidationError({"subject_legal_status": _("Unknown legal status.")})
    carrier = None if carrier_amount in (None, "") else _money(carrier_amount, "carrier_amount")
    if carrier is not None and not (0 <= carrier <= contract.equipment_amount + contract.materials_amount):
        raise ValidationError(
            {
                "carrier_amount": _(
                    "The accepted cost of items carrying the technology must be between zero and the "
                    "equipment and materials."
                )
            }
        )
    declared = (
        contract.contract_type,
        contract.sub_type,
        contract.subject_legal_status,
        contract.carrier_amount_accepted,
    )
    if subject_legal_status is not None and subject_legal_status != contract.subject_legal_status:
        contract.subject_legal_status = subject_legal_status
    cls = rules.classify(
        deal_mode=contract.deal_mode,
        subjects=[contract.subject] if contract.subject else [],
        contract_type=ctype,
        sub_type=stype,
    )
    contract.contract_type, contract.sub_type = cls.contract_type, cls.sub_type
    contract.carrier_amount_accepted = carrier if carrier is not None else contract.carrier_amount
    failed = [c for c in rules.checks(contract) if c.blocking and not c.passed]
    if failed:
        (
            contract.contract_type,
            contract.sub_type,
            contract.subject_legal_status,
            contract.carrier_amount_accepted,
        ) = declared
        raise ValidationError({"checks": [c.message for c in failed]})
    amount = (
        rules.certify_amount(contract)
        if technology_amount in (None, "")
        else _money(technology_amount, "technology_amount")
    )
    if amount < 0 or amount > contract.total_amount:
        raise ValidationError(
            {
                "technology_amount": _(
                    "The technology transaction amount must be between zero and the contract amount."
                )
            }
        )
    for _attempt in range(3):
        number = _next_registration_number()
        now = timezone.now()
        record = {
            "registered_at": now,
            "registered_by_id": actor.pk,
            "registration_number": number,
            "technology_amount": amount,
            "contract_type": cls.contract_type,
            "sub_type": cls.sub_type,
            "subject_legal_status": contract.subject_legal_status,
            "carrier_amount_accepted": contract.carrier_amount_accepted,
            "rules_version": rules.version,
        }
        # Sealed after the last signature (or the signed text of an outside contract): issue 20 point 6.
        sealed = seal.registration_hash(
            contract, after=seal.chain_head(contract, seal.terms_digest(contract)), **record
        )
        try:
            with transaction.atomic():
                transition(
                    contract,
                    ContractStatus.REGISTERED,
                    actor=actor,
                    action="contracts.contract.registered",
                    changes={**record, "registration_hash": sealed},
                    data={
                        "number": number,
                        "technology_amount": str(amount),
                        "carrier_amount_accepted": str(contract.carrier_amount_accepted),
                        "subject_legal_status": contract.subject_legal_status,
                        "type": cls.contract_type,
                        "sub_type": cls.sub_type,
                    },
                )
                _notify_parties(
                    contract,
                    _("Contract %(title)s registered as %(number)s")
                    % {"title": contract.title, "number": number},
                    actor,
                )
            return
        except IntegrityError:
            contract.refresh_from_db()
            continue
    raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))


def reject_registration(contract: Contract, *, actor: Any, reason: str) -> None:
    """Refuse registration (未予登记) with a reason the seller sees; the seller may fix and resubmit."""
    check_register(actor, contract)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason registration is refused.")})
    with transaction.atomic():
        transition(
            contract,
            ContractStatus.REJECTED,
            actor=actor,
            action="contracts.contract.registration_rejected",
            message=reason,
            changes={"reject_reason": reason},
        )
        _notify_parties(
            contract,
            _("Registration of %(title)s was refused") % {"title": contract.title},
            actor,
            body=reason,
        )


def _notify_parties(contract: Contract, title: str, actor: Any, *, body: str = "") -> None:
    from techbridge.accounts.models import User

    link = reverse("contracts:detail", args=[contract.pk])
    actor_pk = getattr(actor, "pk", None)
    for user in User.objects.filter(
        organization_id__in=[contract.seller_id, contract.buyer_id], is_active=True
    ):
        if user.pk != actor_pk:
            notifications.notify(user, kind="contract", title=title, body=body, link=link)


def remind_overdue_registrations() -> int:
    """Daily: tell the registry officers and the seller, once per contract, that a decision is overdue.

    A contract submitted more than 30 days ago and still undecided is overdue (DOMAIN.md: the registry
    decides within 30 days). Idempotent: the dedupe key sends each reminder once.
    """
    from techbridge.accounts.models import User
    from techbridge.core.roles import STAFF_ROLES

    from .models import REGISTRATION_DAYS

    cutoff = timezone.now() - timedelta(days=REGISTRATION_DAYS)
    overdue = list(Contract.objects.filter(status=ContractStatus.SUBMITTED, submitted_at__lt=cutoff))
    if not overdue:
        return 0
    officers = list(User.objects.filter(role__in=STAFF_ROLES, is_active=True))
    sent = 0
    for contract in overdue:
        title = _("Registration decision overdue: %(title)s") % {"title": contract.title}
        sellers = (
            list(User.objects.filter(organization_id=contract.seller_id, is_active=True))
            if contract.seller_id is not None
            else []
        )
        recipients = officers + sellers
        for user in recipients:
            link = (
                reverse("contracts_console:review", args=[contract.pk])
                if user.role in STAFF_ROLES
                else reverse("contracts:detail", args=[contract.pk])
            )
            sent += notifications.notify(
                user,
                kind="contract_overdue",
                title=title,
                link=link,
                dedupe_key=f"contract-overdue:{contract.pk}:{contract.submitted_at:%Y%m%d%H%M%S}",
            )
    return sent


def complete_milestone(item: Instalment, *, actor: Any) -> Instalment:
    """Mark a schedule item of a signed contract as reached (either party), once."""
    contract = item.contract
    if not side_of(actor, contract):
        raise PermissionDenied(_("Only the parties can update the schedule."))
    if not in_force(contract):
        raise TransitionError(_("Milestones are reached under a signed contract."))
    now = timezone.now()
    with transaction.atomic():
        if Instalment.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=now) != 1:
            raise TransitionError(_("This milestone is already marked as reached."))
        item.done_at = now
        audit.record(
            contract, "contracts.contract.milestone_reached", actor=actor, data={"name": item.description}
        )
    return item


# ---- performance -----------------------------------------------------------------------------


def mark_performed(contract: Contract, *, actor: Any, note: str = "") -> Contract:
    """Either party declares the contract performed (履行完毕): it is closed for good.

    Allowed from ``signed``, ``registered`` and ``rejected`` (a registered contract stays registered
    and keeps counting in the statistics); refused while the registry is deciding, and for drafts,
    amended or cancelled contracts. Audited as ``contracts.contract.performed``; the other party is
    told. Clients may then rate the services around the contract (the institutions app reads
    ``performed_at``).
    """
    if not side_of(actor, contract):
        raise PermissionDenied(_("Only the parties can declare this contract performed."))
    if contract.status == ContractStatus.SUBMITTED:
        raise TransitionError(
            _("The registry is deciding on this contract; declare it performed after the decision.")
        )
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("The note is limited to 500 characters.")})
    with transaction.atomic():
        transition(
            contract,
            ContractStatus.PERFORMED,
            actor=actor,
            action="contracts.contract.performed",
            message=note,
            changes={"performed_at": timezone.now(), "performed_by": actor},
        )
        _notify_parties(
            contract,
            _("Contract declared performed: %(title)s") % {"title": contract.title},
            actor,
            body=note,
        )
    return contract
