"""Clients rate an institution's service after a contract was performed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.contracts.choices import ContractStatus
from techbridge.core import audit

from ..models import Institution, Rating
from ..queries import rating_candidates
from ._common import notify_members, text


def rate_service(
    contract: Any, *, actor: Any, institution: Institution, score: int, comment: str = ""
) -> Rating:
    """Rate ``institution``'s service on a performed ``contract`` (1–5, with an optional comment).

    The rater belongs to a party the institution served or brokered for; an institution never rates
    itself; one rating per contract, institution and client organisation. The institution is told a
    rating arrived, never by whom.
    """
    org_id = getattr(actor, "organization_id", None) if getattr(actor, "is_authenticated", False) else None
    if org_id is None or org_id not in (contract.seller_id, contract.buyer_id):
        raise PermissionDenied(_("Only the parties to the contract can rate its services."))
    if org_id == institution.organization_id:
        raise PermissionDenied(_("An institution cannot rate itself."))
    if contract.status != ContractStatus.PERFORMED:
        raise ValidationError(_("Services are rated once the contract has been declared performed."))
    match = next(
        ((i, rel, raters) for i, rel, raters in rating_candidates(contract) if i.pk == institution.pk), None
    )
    if match is None or org_id not in match[2]:
        raise ValidationError(
            _("This institution did not serve or broker this contract for your organisation.")
        )
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a rating from 1 to 5.")})
    rating = Rating(
        institution=institution,
        contract=contract,
        relation=match[1],
        rater=actor,
        rater_org_id=org_id,
        score=score,
        comment=text(comment, "comment", 1000),
    )
    try:
        with transaction.atomic():
            rating.save()
            audit.record(
                rating,
                "institutions.rating.created",
                actor=actor,
                data={"institution": institution.pk, "contract": contract.pk, "score": score},
            )
            notify_members(
                institution,
                title=_("A client rated your service: %(score)s / 5") % {"score": score},
                link=reverse("institutions:mine"),
            )
    except IntegrityError:
        raise ValidationError(
            _("Your organisation has already rated this institution for this contract.")
        ) from None
    return rating
