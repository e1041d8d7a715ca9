"""Who may open the talent pages and API (see techbridge.testing.access).

The broker (示范技术转移中心) is a listed senior technology manager in 新能源汽车; a hard demand of the
enterprise (示范企业) is routed to them; a training session is open, and the broker is registered for
another one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route

STAFF = {"reviewer": OK, "operator": OK}
CONSOLE = {"reviewer": OK, "operator": OK, "official": OK}
HARD = {
    "title": "动力电池隔膜量产工艺优化",
    "problem": "需要中试放大并实现量产，同时担心国外专利壁垒导致侵权风险。",
    "indicators": "孔隙率≥45%；厚度9μm；热收缩≤3%；穿刺强度≥500gf",
    "budget_negotiable": True,
}


def _manager(cast: Any) -> Any:
    from techbridge.talent.models import TechnologyManager
    from techbridge.taxonomy.models import IndustryField

    m = TechnologyManager.objects.filter(user=cast.broker).first()
    if m is None:
        m = TechnologyManager.objects.create(user=cast.broker, level="senior", status="approved")
        m.fields.set(IndustryField.objects.filter(code="nev"))
    return m


def manager(cast: Any) -> dict[str, Any]:
    return {"pk": _manager(cast).pk}


def _demand(cast: Any) -> Any:
    from techbridge.demands.models import Demand
    from techbridge.taxonomy.models import IndustryField
    from techbridge.testing.factories import DemandFactory, publish

    d = Demand.objects.filter(title=HARD["title"]).first()
    if d is None:
        d = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, **HARD)  # type: ignore[assignment]
        d.fields.set(IndustryField.objects.filter(code="nev"))  # type: ignore[union-attr,attr-defined]
        publish(d)
    return d


def demand(cast: Any) -> dict[str, Any]:
    return {"pk": _demand(cast).pk}


def _routing(cast: Any) -> Any:
    from techbridge.talent import services
    from techbridge.talent.models import Routing

    _manager(cast)
    d = _demand(cast)
    return Routing.objects.filter(demand=d).first() or services.route_demand(d)


def routing(cast: Any) -> dict[str, Any]:
    return {"pk": _routing(cast).pk, "verb": "accept"}


def _session(cast: Any, code: str = "TT-101") -> Any:
    from techbridge.talent.models import Course, TrainingBase, TrainingSession

    base, _ = TrainingBase.objects.get_or_create(
        name="南京技术转移人才培养基地", defaults={"host": cast.university}
    )
    course, _ = Course.objects.get_or_create(
        code=code, defaults={"base": base, "title": "技术经纪实务", "hours": 32}
    )
    s = TrainingSession.objects.filter(course=course).first()
    if s is None:
        today = timezone.localdate()
        later = code != "TT-101"  # TT-101 ends today (it can be completed); the other lies ahead
        s = TrainingSession.objects.create(
            course=course,
            starts_on=today + dt.timedelta(days=3) if later else today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=5) if later else today,
            registration_closes=today,
            location="南京",
            capacity=20,
        )
    return s


def session(cast: Any) -> dict[str, Any]:
    return {"pk": _session(cast).pk}


def enrolment(cast: Any) -> dict[str, Any]:
    from techbridge.talent.models import Enrolment

    s = _session(cast, "TT-202")
    e = Enrolment.objects.filter(session=s, user=cast.broker).first() or Enrolment.objects.create(
        session=s, user=cast.broker
    )
    return {"pk": e.pk}


def certificate(cast: Any) -> dict[str, Any]:
    from techbridge.talent.models import Certificate

    c = Certificate.objects.filter(number="M-1").first() or Certificate.objects.create(
        holder=cast.broker,
        kind="manager",
        number="M-1",
        issuer="中国科学技术交流中心",
        issued_on=dt.date(2025, 1, 1),
    )
    return {"pk": c.pk}


def expert(cast: Any) -> dict[str, Any]:
    from techbridge.talent.models import Expert

    e = Expert.objects.filter(user=cast.stranger).first() or Expert.objects.create(user=cast.stranger)
    return {"pk": e.pk}


ROUTES = [
    # ---- portal ----
    Route("talent:home", default=OK),
    Route("talent:managers", default=OK),
    Route("talent:manager", kwargs=manager, default=OK),
    Route("talent:manager_mine", anonymous=LOGIN, default=OK),
    Route("talent:manager_mine", method="POST", anonymous=LOGIN, default=OK),
    Route("talent:certificate_declare", method="POST", anonymous=LOGIN, default=OK),
    Route(
        "talent:routing_answer",
        kwargs=routing,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        expect=CONSOLE,
        note="the enterprise and the console reach it; only the manager's answer counts",
    ),
    Route("talent:training", default=OK),
    Route("talent:session", kwargs=session, default=OK),
    Route("talent:enrol", kwargs=session, method="POST", anonymous=LOGIN, default=OK),
    Route(
        "talent:cancel_enrolment", kwargs=enrolment, method="POST", anonymous=LOGIN, default=HIDE, broker=OK
    ),
    Route("talent:training_mine", anonymous=LOGIN, default=OK),
    # ---- console ----
    Route("talent_console:managers", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("talent_console:manager", kwargs=manager, anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route(
        "talent_console:manager", kwargs=manager, method="POST", anonymous=LOGIN, default=DENY, expect=STAFF
    ),
    Route("talent_console:certificates", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route(
        "talent_console:certificate_verify",
        kwargs=certificate,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route("talent_console:experts", anonymous=LOGIN, default=DENY, operator=OK),
    Route("talent_console:expert", kwargs=expert, anonymous=LOGIN, default=DENY, operator=OK),
    Route("talent_console:training", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("talent_console:training", method="POST", anonymous=LOGIN, default=DENY, expect=STAFF),
    Route("talent_console:session", kwargs=session, anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route(
        "talent_console:session_results",
        kwargs=session,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "talent_console:session_complete",
        kwargs=session,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "talent_console:session_registration",
        kwargs=session,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route("talent_console:secondments", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("talent_console:register", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("talent_console:routing", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route(
        "talent_console:route_now", kwargs=demand, method="POST", anonymous=LOGIN, default=DENY, expect=STAFF
    ),
    # ---- API ----
    Route("api:talent-manager-list", default=OK),
    Route("api:talent-manager-detail", kwargs=manager, default=OK),
    Route("api:talent-manager-deals", kwargs=manager, default=OK),
    Route("api:talent-profile", anonymous=LOGIN, default=HIDE, broker=OK),
    Route("api:talent-profile", method="PUT", anonymous=LOGIN, default=BAD),
    Route("api:talent-assessment", kwargs=demand, default=OK),
    Route("api:talent-routing-list", anonymous=LOGIN, default=OK),
    Route(
        "api:talent-routing-answer",
        kwargs=routing,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        broker=OK,
        buyer=DENY,
        reviewer=DENY,
        operator=DENY,
        official=DENY,
    ),
    Route("api:talent-certificate-list", anonymous=LOGIN, default=OK),
    Route("api:talent-certificate-list", method="POST", anonymous=LOGIN, default=BAD),
    Route(
        "api:talent-certificate-verify",
        kwargs=certificate,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route("api:talent-session-list", default=OK),
    Route("api:talent-session-detail", kwargs=session, default=OK),
    Route("api:talent-session-enrol", kwargs=session, method="POST", anonymous=LOGIN, default=OK),
    Route(
        "api:talent-session-results",
        kwargs=session,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:talent-session-complete",
        kwargs=session,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "api:talent-enrolment-cancel",
        kwargs=enrolment,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        broker=OK,
        expect=STAFF,
    ),
    Route("api:talent-training-record", anonymous=LOGIN, default=OK),
    Route("api:talent-expert-list", anonymous=LOGIN, default=DENY, operator=OK),
    Route("api:talent-expert-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:talent-expert-eligible", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:talent-secondments", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("api:talent-secondments", method="POST", anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD),
    Route("api:talent-register", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("api:talent-register", method="POST", anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD),
    Route("api:talent-figures", default=OK),
]
