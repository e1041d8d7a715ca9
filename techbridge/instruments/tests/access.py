"""Who may open the pages and call the API of instruments (see techbridge.testing.access).

The records behind the URLs: an instrument of 示范大学 whose person in charge is the researcher
(univ_admin is the university's admin); a booking of it by the enterprise buyer; a fee statement of a
completed booking paid partly by the buyer's innovation voucher; a voucher application of the enterprise;
a service platform hosted by the university (univ_admin runs it) with one offer and a request by the buyer.
Platform staff (reviewer, operator) read bookings, orders and vouchers; the official reads the console.
"""

from __future__ import annotations

from typing import Any

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route

# ---- the records -------------------------------------------------------------------------------------


def _instrument(cast: Any) -> Any:
    from techbridge.testing.factories.instruments import InstrumentFactory, with_rates

    return with_rates(
        InstrumentFactory(  # type: ignore[arg-type]
            owner=cast.university, manager=cast.researcher, created_by=cast.researcher, access="self_use"
        )
    )


def an_instrument(cast: Any) -> dict[str, Any]:
    return {"pk": _instrument(cast).pk}


def an_instrument_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _instrument(cast).pk, "action": action}

    return build


def a_qualification(cast: Any) -> dict[str, Any]:
    from techbridge.instruments.models import Qualification

    instrument = _instrument(cast)
    q = Qualification.objects.create(instrument=instrument, user=cast.buyer, granted_by=cast.researcher)
    return {"pk": instrument.pk, "qpk": q.pk}


def a_window(cast: Any) -> dict[str, Any]:
    from techbridge.instruments.services import catalogue
    from techbridge.testing.factories.instruments import future_slot

    instrument = _instrument(cast)
    start, end = future_slot(days=6)
    window = catalogue.schedule_maintenance(
        instrument, actor=cast.researcher, starts_at=start, ends_at=end, reason="年度校准"
    )
    return {"pk": instrument.pk, "mpk": window.pk}


def _booking(cast: Any, *, voucher: Any = None) -> Any:
    from techbridge.instruments.services import booking
    from techbridge.testing.factories.instruments import future_slot

    start, end = future_slot(days=4)
    return booking.request_booking(
        actor=cast.buyer,
        instrument=_instrument(cast),
        starts_at=start,
        ends_at=end,
        purpose="导热系数测试",
        voucher=voucher,
    )


def a_booking(cast: Any) -> dict[str, Any]:
    return {"pk": _booking(cast).pk}


def a_booking_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _booking(cast).pk, "action": action}

    return build


def _programme(cast: Any) -> Any:
    from techbridge.instruments.models import VoucherProgramme
    from techbridge.testing.factories.instruments import make_programme

    return VoucherProgramme.objects.filter(name="科技创新券").first() or make_programme(
        created_by=cast.operator
    )


def _redemption(cast: Any) -> Any:
    from techbridge.instruments.models import Voucher
    from techbridge.instruments.services import booking, usage
    from techbridge.testing.factories.instruments import approved_voucher

    programme = _programme(cast)
    voucher = Voucher.objects.filter(
        programme=programme, enterprise=cast.enterprise, status="approved"
    ).first()
    voucher = voucher or approved_voucher(programme, cast.enterprise, cast.buyer)
    b = _booking(cast, voucher=voucher)
    booking.approve_booking(b, actor=cast.researcher)
    usage.record_usage(b, actor=cast.researcher, hours="1", now=b.ends_at)
    return b.invoice.redemption


def an_invoice(cast: Any) -> dict[str, Any]:
    return {"pk": _redemption(cast).invoice_id}


def a_redemption(cast: Any) -> dict[str, Any]:
    return {"pk": _redemption(cast).pk}


def a_redemption_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _redemption(cast).pk, "action": action}

    return build


def a_programme(cast: Any) -> dict[str, Any]:
    return {"pk": _programme(cast).pk}


def a_programme_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _programme(cast).pk, "action": action}

    return build


def _voucher(cast: Any) -> Any:
    """An application of the enterprise, awaiting decision (a programme of its own, so that the approved
    voucher of the statements' programme does not stand in its way)."""
    from techbridge.instruments.models import Voucher, VoucherProgramme
    from techbridge.testing.factories.instruments import make_programme

    programme = VoucherProgramme.objects.filter(name="中小企业创新券").first() or make_programme(
        name="中小企业创新券", created_by=cast.operator
    )
    found = Voucher.objects.filter(programme=programme, enterprise=cast.enterprise, status="applied").first()
    return found or Voucher.objects.create(
        programme=programme,
        enterprise=cast.enterprise,
        applied_by=cast.buyer,
        purpose="委托检测",
        requested_amount=10000,
    )


def a_voucher(cast: Any) -> dict[str, Any]:
    return {"pk": _voucher(cast).pk}


def a_voucher_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _voucher(cast).pk, "action": action}

    return build


def _platform(cast: Any) -> Any:
    from techbridge.instruments.models import ServicePlatform
    from techbridge.testing.factories.instruments import make_platform

    return ServicePlatform.objects.filter(host=cast.university).first() or make_platform(
        cast.university, manager=cast.univ_admin
    )


def a_platform(cast: Any) -> dict[str, Any]:
    return {"pk": _platform(cast).pk}


def a_platform_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _platform(cast).pk, "action": action}

    return build


def _offer(cast: Any) -> Any:
    from techbridge.testing.factories.instruments import make_offer

    return make_offer(_platform(cast))


def an_offer(cast: Any) -> dict[str, Any]:
    return {"pk": _offer(cast).pk}


def an_offer_of_platform(cast: Any) -> dict[str, Any]:
    offer = _offer(cast)
    return {"pk": offer.platform_id, "offer_pk": offer.pk}


def _order(cast: Any) -> Any:
    from techbridge.instruments.services import platforms

    return platforms.request_service(actor=cast.buyer, offer=_offer(cast), need="检测导热系数")


def an_order(cast: Any) -> dict[str, Any]:
    return {"pk": _order(cast).pk}


def an_order_action(action: str):
    def build(cast: Any) -> dict[str, Any]:
        return {"pk": _order(cast).pk, "action": action}

    return build


def a_demand(cast: Any) -> dict[str, Any]:
    from techbridge.testing.factories import DemandFactory, publish

    demand = DemandFactory(
        enterprise=cast.enterprise,
        created_by=cast.buyer,
        title="陶瓷基板导热测试",
        problem="测定氮化铝陶瓷导热系数",
    )
    publish(demand)
    return {"pk": demand.pk}  # type: ignore[attr-defined]


# ---- who gets what --------------------------------------------------------------------------------

SIGNED_IN = {"anonymous": LOGIN}
MANAGERS = {"researcher": OK, "univ_admin": OK}
# Members of an approved organisation (everyone but the outsider).
MEMBERS = {"outsider": DENY}
# Who sees the buyer's booking: the requester, the instrument's staff, platform staff.
BOOKING_READERS = {"buyer": OK, "researcher": OK, "univ_admin": OK, "reviewer": OK, "operator": OK}
# ... and who may act on it as owner, as requester, or not at all (visible but not theirs).
BOOKING_OWNER_ACT = {"researcher": OK, "univ_admin": OK, "buyer": DENY, "reviewer": DENY, "operator": DENY}
STATEMENT_READERS = BOOKING_READERS
VOUCHER_READERS = {"buyer": OK, "reviewer": OK, "operator": OK, "official": OK}
REDEMPTION_READERS = {**VOUCHER_READERS, "researcher": OK, "univ_admin": OK}
ORDER_READERS = {"buyer": OK, "univ_admin": OK, "reviewer": OK, "operator": OK}
CONSOLE = {"reviewer": OK, "operator": OK, "official": OK}
STAFF_ACT = {"reviewer": OK, "operator": OK, "official": DENY}


def portal(name: str, **kw: Any) -> Route:
    return Route(f"instruments:{name}", **kw)


def console(name: str, **kw: Any) -> Route:
    return Route(f"instruments_console:{name}", **kw)


def api(name: str, **kw: Any) -> Route:
    return Route(f"api:{name}", **kw)


ROUTES = [
    # ---- catalogue ----
    portal("list", default=OK),
    portal("create", anonymous=LOGIN, outsider=DENY, default=OK),
    portal("create", method="POST", anonymous=LOGIN, outsider=DENY, default=OK),
    portal("detail", kwargs=an_instrument, default=OK),
    portal("edit", kwargs=an_instrument, anonymous=LOGIN, default=DENY, **MANAGERS),
    portal(
        "edit",
        kwargs=an_instrument,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=OK,
        univ_admin=OK,
    ),
    portal("rates", kwargs=an_instrument, anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("rates", kwargs=an_instrument, method="POST", anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("calendar", kwargs=an_instrument, default=OK),
    portal("book", kwargs=an_instrument, anonymous=LOGIN, outsider=DENY, default=OK),
    portal("book", kwargs=an_instrument, method="POST", anonymous=LOGIN, outsider=DENY, default=OK),
    portal(
        "status",
        kwargs=an_instrument_action("suspend"),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
        **MANAGERS,
    ),
    portal("qualify", kwargs=an_instrument, method="POST", anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("unqualify", kwargs=a_qualification, method="POST", anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("maintenance", kwargs=an_instrument, method="POST", anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("maintenance_remove", kwargs=a_window, method="POST", anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("internal_use", kwargs=an_instrument, method="POST", anonymous=LOGIN, default=DENY, **MANAGERS),
    portal("utilisation", anonymous=LOGIN, default=OK),
    portal("mine", anonymous=LOGIN, default=OK),
    portal("demand_matches", kwargs=a_demand, default=OK),
    # ---- bookings and statements ----
    portal("bookings", anonymous=LOGIN, default=OK),
    portal("booking", kwargs=a_booking, anonymous=LOGIN, default=HIDE, **BOOKING_READERS),
    portal(
        "booking_action",
        kwargs=a_booking_action("approve"),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **BOOKING_OWNER_ACT,
    ),
    portal(
        "booking_action",
        kwargs=a_booking_action("cancel"),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        researcher=OK,
        univ_admin=OK,
        reviewer=DENY,
        operator=DENY,
    ),
    portal(
        "booking_action",
        kwargs=a_booking_action("voucher"),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        researcher=DENY,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    portal("invoice", kwargs=an_invoice, anonymous=LOGIN, default=HIDE, **STATEMENT_READERS),
    portal("invoice_pdf", kwargs=an_invoice, anonymous=LOGIN, default=HIDE, **STATEMENT_READERS),
    portal(
        "invoice_claim",
        kwargs=an_invoice,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=OK,
        univ_admin=OK,
        buyer=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    # ---- vouchers ----
    portal("vouchers", default=OK),
    portal("voucher_apply", kwargs=a_programme, anonymous=LOGIN, default=DENY, buyer=OK),
    portal("voucher_apply", kwargs=a_programme, method="POST", anonymous=LOGIN, default=DENY, buyer=OK),
    portal("voucher", kwargs=a_voucher, anonymous=LOGIN, default=HIDE, **VOUCHER_READERS),
    portal(
        "voucher_withdraw",
        kwargs=a_voucher,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        reviewer=DENY,
        operator=DENY,
        official=DENY,
    ),
    # ---- platforms and orders ----
    portal("platforms", default=OK),
    portal("platform", kwargs=a_platform, default=OK),
    portal("platform_edit", kwargs=a_platform, anonymous=LOGIN, default=DENY, univ_admin=OK),
    portal("platform_edit", kwargs=a_platform, method="POST", anonymous=LOGIN, default=DENY, univ_admin=OK),
    portal("offer_create", kwargs=a_platform, anonymous=LOGIN, default=DENY, univ_admin=OK),
    portal("offer_create", kwargs=a_platform, method="POST", anonymous=LOGIN, default=DENY, univ_admin=OK),
    portal("offer_edit", kwargs=an_offer_of_platform, anonymous=LOGIN, default=DENY, univ_admin=OK),
    portal(
        "offer_request",
        kwargs=an_offer,
        anonymous=LOGIN,
        default=OK,
        researcher=DENY,
        univ_admin=DENY,
        outsider=DENY,
    ),
    portal(
        "offer_request",
        kwargs=an_offer,
        method="POST",
        anonymous=LOGIN,
        default=OK,
        researcher=DENY,
        univ_admin=DENY,
        outsider=DENY,
    ),
    portal("order", kwargs=an_order, anonymous=LOGIN, default=HIDE, **ORDER_READERS),
    portal(
        "order_action",
        kwargs=an_order_action("quote"),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=OK,
        buyer=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    portal(
        "order_action",
        kwargs=an_order_action("withdraw"),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    # ---- console ----
    console("vouchers", anonymous=LOGIN, default=DENY, **CONSOLE),
    console("programme_create", anonymous=LOGIN, default=DENY, operator=OK),
    console("programme_create", method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    console("programme", kwargs=a_programme, anonymous=LOGIN, default=DENY, **CONSOLE),
    console(
        "programme_action",
        kwargs=a_programme_action("close"),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    console("voucher", kwargs=a_voucher, anonymous=LOGIN, default=DENY, **CONSOLE),
    console(
        "voucher_decide",
        kwargs=a_voucher_action("approve"),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF_ACT,
    ),
    console("claims", anonymous=LOGIN, default=DENY, **CONSOLE),
    console(
        "claim_action",
        kwargs=a_redemption_action("settle"),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF_ACT,
    ),
    console("platforms", anonymous=LOGIN, default=DENY, **CONSOLE),
    console("platform_create", anonymous=LOGIN, default=DENY, operator=OK),
    console("platform_create", method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    console("platform", kwargs=a_platform, anonymous=LOGIN, default=DENY, **CONSOLE),
    console(
        "platform_status",
        kwargs=a_platform_action("suspend"),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    console("utilisation", anonymous=LOGIN, default=DENY, **CONSOLE),
    # ---- API: catalogue ----
    api("instrument-list", default=OK),
    api("instrument-list", method="POST", anonymous=LOGIN, outsider=DENY, default=BAD),
    api("instrument-detail", kwargs=an_instrument, default=OK),
    api("instrument-detail", kwargs=an_instrument, method="PATCH", anonymous=LOGIN, default=DENY, **MANAGERS),
    api("instrument-calendar", kwargs=an_instrument, default=OK),
    api(
        "instrument-change-status",
        kwargs=an_instrument,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
        operator=BAD,
    ),
    api(
        "instrument-maintenance",
        kwargs=an_instrument,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
    ),
    api(
        "instrument-qualifications",
        kwargs=an_instrument,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
    ),
    api(
        "instrument-rates",
        kwargs=an_instrument,
        method="PUT",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
    ),
    api(
        "instrument-usage",
        kwargs=an_instrument,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
    ),
    api("instrument-match", query="q=陶瓷材料导热性能测试", default=OK),
    api("instrument-match", default=BAD, note="a query or a demand is needed"),
    api("instrument-utilisation", anonymous=LOGIN, default=OK),
    # ---- API: bookings and statements ----
    api("instrument-booking-list", anonymous=LOGIN, default=OK),
    api("instrument-booking-list", method="POST", anonymous=LOGIN, default=BAD),
    api("instrument-booking-detail", kwargs=a_booking, anonymous=LOGIN, default=HIDE, **BOOKING_READERS),
    api(
        "instrument-booking-approve",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **BOOKING_OWNER_ACT,
    ),
    api(
        "instrument-booking-reject",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{**BOOKING_OWNER_ACT, "researcher": BAD, "univ_admin": BAD},
    ),
    api(
        "instrument-booking-cancel",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        researcher=BAD,
        univ_admin=BAD,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "instrument-booking-no-show",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{**BOOKING_OWNER_ACT, "researcher": BAD, "univ_admin": BAD},
    ),
    api(
        "instrument-booking-start",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{**BOOKING_OWNER_ACT, "researcher": BAD, "univ_admin": BAD},
    ),
    api(
        "instrument-booking-stop",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{**BOOKING_OWNER_ACT, "researcher": BAD, "univ_admin": BAD},
    ),
    api(
        "instrument-booking-usage",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{**BOOKING_OWNER_ACT, "researcher": BAD, "univ_admin": BAD},
    ),
    api(
        "instrument-booking-voucher",
        kwargs=a_booking,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        researcher=DENY,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api("instrument-statement-list", anonymous=LOGIN, default=OK),
    api("instrument-statement-detail", kwargs=an_invoice, anonymous=LOGIN, default=HIDE, **STATEMENT_READERS),
    api("instrument-statement-pdf", kwargs=an_invoice, anonymous=LOGIN, default=HIDE, **STATEMENT_READERS),
    # ---- API: vouchers ----
    api("voucher-programme-list", default=OK),
    api("voucher-programme-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    api("voucher-programme-detail", kwargs=a_programme, default=OK),
    api(
        "voucher-programme-open-programme",
        kwargs=a_programme,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    api(
        "voucher-programme-close-programme",
        kwargs=a_programme,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    api("voucher-list", anonymous=LOGIN, default=OK),
    api("voucher-list", method="POST", anonymous=LOGIN, default=BAD),
    api("voucher-detail", kwargs=a_voucher, anonymous=LOGIN, default=HIDE, **VOUCHER_READERS),
    api(
        "voucher-approve",
        kwargs=a_voucher,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        reviewer=BAD,
        operator=BAD,
        official=DENY,
    ),
    api(
        "voucher-reject",
        kwargs=a_voucher,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        reviewer=BAD,
        operator=BAD,
        official=DENY,
    ),
    api(
        "voucher-withdraw",
        kwargs=a_voucher,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        reviewer=DENY,
        operator=DENY,
        official=DENY,
    ),
    api("voucher-redemption-list", anonymous=LOGIN, default=OK),
    api(
        "voucher-redemption-detail", kwargs=a_redemption, anonymous=LOGIN, default=HIDE, **REDEMPTION_READERS
    ),
    api(
        "voucher-redemption-claim",
        kwargs=a_redemption,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{**REDEMPTION_READERS, "buyer": DENY, "reviewer": DENY, "operator": DENY, "official": DENY},
    ),
    api(
        "voucher-redemption-settle",
        kwargs=a_redemption,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{
            **REDEMPTION_READERS,
            "buyer": DENY,
            "researcher": DENY,
            "univ_admin": DENY,
            "reviewer": BAD,
            "operator": BAD,
            "official": DENY,
        },
    ),
    api(
        "voucher-redemption-return-claim",
        kwargs=a_redemption,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **{
            **REDEMPTION_READERS,
            "buyer": DENY,
            "researcher": DENY,
            "univ_admin": DENY,
            "reviewer": BAD,
            "operator": BAD,
            "official": DENY,
        },
    ),
    # ---- API: platforms, offers, orders ----
    api("service-platform-list", default=OK),
    api("service-platform-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    api("service-platform-detail", kwargs=a_platform, default=OK),
    api(
        "service-platform-change-status",
        kwargs=a_platform,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    api("service-offer-list", default=OK),
    api("service-offer-list", method="POST", anonymous=LOGIN, default=BAD),
    api("service-offer-detail", kwargs=an_offer, default=OK),
    api(
        "service-offer-detail", kwargs=an_offer, method="PATCH", anonymous=LOGIN, default=DENY, univ_admin=OK
    ),
    api("service-order-list", anonymous=LOGIN, default=OK),
    api("service-order-list", method="POST", anonymous=LOGIN, default=BAD),
    api("service-order-detail", kwargs=an_order, anonymous=LOGIN, default=HIDE, **ORDER_READERS),
    api(
        "service-order-quote",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=BAD,
        buyer=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-decline",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=BAD,
        buyer=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-deliver",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=BAD,
        buyer=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-withdraw",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-place",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-accept",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-send-back",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
    api(
        "service-order-rate",
        kwargs=an_order,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        univ_admin=DENY,
        reviewer=DENY,
        operator=DENY,
    ),
]
