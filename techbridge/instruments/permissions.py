"""Who may see and do what with instruments, bookings, vouchers and platform services.

Look-up-and-check helpers (``booking_for(user, pk)``) return the record or raise ``Http404`` (not
visible: we do not confirm it exists) or ``PermissionDenied`` with a reason; predicates
(``can_decide_booking(user, booking)``) answer for buttons and templates. Views, API, services and
templates call these, never a copy of the rule.

The people involved:

* **owner staff** of an instrument: the owner organisation's admins and the instrument's person in
  charge (and whoever added it). They edit it, approve bookings, record usage, claim vouchers.
* **requester**: whoever booked or ordered, and the admins of their organisation.
* **platform staff** (reviewers and operators): read everything, decide voucher applications and
  settle claims; operators also designate service platforms and suspend instruments.
* **host staff** of a service platform: the host's admins and the platform's person in charge.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import has_organization, signed_in
from techbridge.core.roles import Role, is_console_user, is_operator, is_staff_reviewer
from techbridge.organizations.choices import OrgStatus

from .choices import InstrumentStatus, ProgrammeStatus, VoucherStatus

# ---- organisations ---------------------------------------------------------------------------------


def in_approved_organization(user: Any) -> bool:
    org = getattr(user, "organization", None) if has_organization(user) else None
    return org is not None and org.status == OrgStatus.APPROVED


def is_org_admin_of(user: Any, org_id: int | None) -> bool:
    return has_organization(user) and user.organization_id == org_id and user.role == Role.ORG_ADMIN


# ---- instruments -----------------------------------------------------------------------------------


def can_add_instrument(user: Any) -> bool:
    """Members of an approved organisation list their organisation's instruments."""
    return in_approved_organization(user)


def can_manage_instrument(user: Any, instrument: Any) -> bool:
    if not has_organization(user) or user.organization_id != instrument.owner_id:
        return False
    return user.role == Role.ORG_ADMIN or user.pk in (instrument.manager_id, instrument.created_by_id)


def managed_instruments_q(user: Any) -> Q:
    """The instruments ``user`` manages, as a filter (an empty match for anyone else)."""
    if not has_organization(user):
        return Q(pk__in=[])
    mine = Q(owner_id=user.organization_id)
    if user.role == Role.ORG_ADMIN:
        return mine
    return mine & (Q(manager_id=user.pk) | Q(created_by_id=user.pk))


def can_see_instrument(user: Any, instrument: Any) -> bool:
    """Active and suspended resources are public; retired ones only to owner staff and platform staff."""
    if instrument.status != InstrumentStatus.RETIRED:
        return True
    return can_manage_instrument(user, instrument) or is_staff_reviewer(user)


def instrument_for(user: Any, pk: int, queryset: Any = None) -> Any:
    from .models import Instrument

    qs = (
        queryset
        if queryset is not None
        else Instrument.objects.select_related("owner", "owner__zone", "manager")
    )
    instrument = qs.filter(pk=pk).first()
    if instrument is None or not can_see_instrument(user, instrument):
        raise Http404
    return instrument


def instrument_to_manage(user: Any, pk: int) -> Any:
    instrument = instrument_for(user, pk)
    if not can_manage_instrument(user, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    return instrument


def can_book(user: Any, instrument: Any) -> bool:
    return in_approved_organization(user) and instrument.status == InstrumentStatus.ACTIVE


def check_may_book(user: Any, instrument: Any) -> None:
    if not in_approved_organization(user):
        raise PermissionDenied(
            _("Bookings are made for an organisation: join an approved organisation on the platform first.")
        )
    if instrument.status != InstrumentStatus.ACTIVE:
        raise PermissionDenied(_("This instrument is not open for booking at the moment."))


def can_suspend_any(user: Any) -> bool:
    return is_operator(user)


# ---- bookings --------------------------------------------------------------------------------------


def is_requester(user: Any, booking_or_order: Any) -> bool:
    if not signed_in(user):
        return False
    return booking_or_order.requester_id == user.pk or is_org_admin_of(user, booking_or_order.organization_id)


def can_see_booking(user: Any, booking: Any) -> bool:
    return (
        is_requester(user, booking)
        or can_manage_instrument(user, booking.instrument)
        or is_staff_reviewer(user)
    )


def visible_bookings_q(user: Any, *, as_staff: bool = True) -> Q:
    """Bookings ``user`` may see: their own (their organisation's, for admins) and their instruments'."""
    if not signed_in(user):
        return Q(pk__in=[])
    if as_staff and is_staff_reviewer(user):
        return Q()
    return requested_bookings_q(user) | incoming_bookings_q(user)


def requested_bookings_q(user: Any) -> Q:
    """Bookings made by the user (or, for an organisation admin, by anyone of the organisation)."""
    if not signed_in(user):
        return Q(pk__in=[])
    q = Q(requester_id=user.pk)
    if has_organization(user) and user.role == Role.ORG_ADMIN:
        q |= Q(organization_id=user.organization_id)
    return q


def incoming_bookings_q(user: Any) -> Q:
    """Bookings of the instruments the user looks after."""
    if not has_organization(user):
        return Q(pk__in=[])
    return Q(instrument__in=_managed_ids(user))


def _managed_ids(user: Any) -> Any:
    from .models import Instrument

    return Instrument.objects.filter(managed_instruments_q(user)).values("pk")


def booking_for(user: Any, pk: int) -> Any:
    from .models import Booking

    booking = (
        Booking.objects.select_related(
            "instrument", "instrument__owner", "requester", "organization", "voucher"
        )
        .filter(pk=pk)
        .first()
    )
    if booking is None or not can_see_booking(user, booking):
        raise Http404
    return booking


def can_decide_booking(user: Any, booking: Any) -> bool:
    return can_manage_instrument(user, booking.instrument)


def check_may_decide(user: Any, booking: Any) -> None:
    if not can_decide_booking(user, booking):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))


def can_cancel_booking(user: Any, booking: Any) -> bool:
    return is_requester(user, booking) or can_manage_instrument(user, booking.instrument)


# ---- vouchers --------------------------------------------------------------------------------------


def voucher_refusal(user: Any, programme: Any, *, today: Any = None) -> str | None:
    """Why ``user``'s organisation may not apply to ``programme`` now (None: it may)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if not in_approved_organization(user):
        return _(
            "Vouchers are granted to organisations: join an approved organisation on the platform first."
        )
    if programme.status != ProgrammeStatus.OPEN:
        return _("This programme does not take applications.")
    if not (programme.applications_open <= today <= programme.applications_close):
        return _("Applications to this programme are taken from %(start)s to %(end)s.") % {
            "start": programme.applications_open,
            "end": programme.applications_close,
        }
    org = user.organization
    if org.kind not in (programme.eligible_kinds or []):
        return _("This programme is open to: %(kinds)s.") % {
            "kinds": "、".join(programme.eligible_kind_labels)
        }
    if programme.nanjing_only and (not org.district or org.district == "outside"):
        return _("This programme is open to organisations registered in a Nanjing district only.")
    return None


def can_decide_voucher(user: Any) -> bool:
    return is_staff_reviewer(user)


def can_manage_programmes(user: Any) -> bool:
    return is_operator(user)


def can_see_voucher(user: Any, voucher: Any) -> bool:
    return (has_organization(user) and user.organization_id == voucher.enterprise_id) or is_console_user(user)


def voucher_for(user: Any, pk: int) -> Any:
    from .models import Voucher

    voucher = Voucher.objects.select_related("programme", "enterprise", "applied_by").filter(pk=pk).first()
    if voucher is None or not can_see_voucher(user, voucher):
        raise Http404
    return voucher


def usable_vouchers_q(user: Any) -> Q:
    """Approved vouchers of the user's organisation (what a booking or order may name)."""
    if not has_organization(user):
        return Q(pk__in=[])
    return Q(enterprise_id=user.organization_id, status=VoucherStatus.APPROVED)


def can_claim(user: Any, redemption: Any) -> bool:
    """The provider's admins claim vouchers redeemed on its bills."""
    return is_org_admin_of(user, redemption.provider_id) or _manages_subject(user, redemption)


def _manages_subject(user: Any, redemption: Any) -> bool:
    invoice = redemption.invoice
    if invoice.booking_id is not None:
        return can_manage_instrument(user, invoice.booking.instrument)
    return can_manage_platform(user, invoice.order.platform)


def can_see_redemption(user: Any, redemption: Any) -> bool:
    return is_console_user(user) or (
        has_organization(user)
        and user.organization_id in (redemption.provider_id, redemption.voucher.enterprise_id)
    )


def redemption_for(user: Any, pk: int) -> Any:
    from .models import VoucherRedemption

    redemption = (
        VoucherRedemption.objects.select_related(
            "voucher",
            "voucher__programme",
            "voucher__enterprise",
            "provider",
            "invoice",
            "invoice__booking",
            "invoice__booking__instrument",
            "invoice__order",
            "invoice__order__platform",
        )
        .filter(pk=pk)
        .first()
    )
    if redemption is None or not can_see_redemption(user, redemption):
        raise Http404
    return redemption


def can_settle(user: Any) -> bool:
    return is_staff_reviewer(user)


# ---- invoices --------------------------------------------------------------------------------------


def can_see_invoice(user: Any, invoice: Any) -> bool:
    if not signed_in(user):
        return False
    if is_staff_reviewer(user):
        return True
    if has_organization(user) and user.organization_id == invoice.provider_id:
        return True
    subject = invoice.booking or invoice.order
    return is_requester(user, subject)


def invoice_for(user: Any, pk: int) -> Any:
    from .models import Invoice

    invoice = Invoice.objects.select_related("booking", "order", "provider", "payer").filter(pk=pk).first()
    if invoice is None or not can_see_invoice(user, invoice):
        raise Http404
    return invoice


# ---- service platforms -----------------------------------------------------------------------------


def can_designate_platforms(user: Any) -> bool:
    return is_operator(user)


def can_manage_platform(user: Any, platform: Any) -> bool:
    if not has_organization(user) or user.organization_id != platform.host_id:
        return False
    return user.role == Role.ORG_ADMIN or platform.manager_id == user.pk


def platform_to_manage(user: Any, pk: int) -> Any:
    from .models import ServicePlatform

    platform = ServicePlatform.objects.select_related("host", "industry").filter(pk=pk).first()
    if platform is None:
        raise Http404
    if not can_manage_platform(user, platform):
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    return platform


def can_request_service(user: Any, offer: Any) -> bool:
    return (
        in_approved_organization(user)
        and user.organization_id != offer.platform.host_id
        and offer.is_active
        and offer.platform.status == "operating"
    )


def can_see_order(user: Any, order: Any) -> bool:
    return is_requester(user, order) or can_manage_platform(user, order.platform) or is_staff_reviewer(user)


def visible_orders_q(user: Any, *, as_staff: bool = True) -> Q:
    """Orders ``user`` may see; ``as_staff=False`` leaves out what platform staff see as staff only."""
    if not signed_in(user):
        return Q(pk__in=[])
    if as_staff and is_staff_reviewer(user):
        return Q()
    q = Q(requester_id=user.pk)
    if has_organization(user):
        if user.role == Role.ORG_ADMIN:
            q |= Q(organization_id=user.organization_id) | Q(platform__host_id=user.organization_id)
        q |= Q(platform__manager_id=user.pk)
    return q


def order_for(user: Any, pk: int) -> Any:
    from .models import ServiceOrder

    order = (
        ServiceOrder.objects.select_related(
            "offer",
            "offer__resource",
            "platform",
            "platform__host",
            "requester",
            "organization",
            "voucher",
            "booking",
        )
        .filter(pk=pk)
        .first()
    )
    if order is None or not can_see_order(user, order):
        raise Http404
    return order


def can_provide(user: Any, order: Any) -> bool:
    """Quote, decline, deliver: the host's staff."""
    return can_manage_platform(user, order.platform)


def can_buy(user: Any, order: Any) -> bool:
    """Order, withdraw, accept, send back, rate: the requesting organisation."""
    return is_requester(user, order)
