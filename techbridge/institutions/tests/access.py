"""Who may open the institutions pages and API (see techbridge.testing.access).

The cast's service organisation (示范技术转移中心, the broker's) is a listed institution; the broker is
its member. Another listed institution (矩阵服务中心) is blacklisted with an appeal pending, so the
blacklist and appeal routes have a record to act on without touching the broker's institution.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, NOT_ALLOWED, OK, Route

STAFF = {"reviewer": OK, "operator": OK}
CONSOLE = {"reviewer": OK, "operator": OK, "official": OK}


def _inst(cast: Any) -> Any:
    from techbridge.institutions.models import Institution
    from techbridge.testing.factories.institutions import make_institution

    return Institution.objects.filter(organization=cast.service).first() or make_institution(cast.service)


def _other(cast: Any) -> Any:
    """A second listed institution, blacklisted for a severe event, with an appeal awaiting a decision."""
    from techbridge.institutions import services
    from techbridge.institutions.models import Institution
    from techbridge.organizations.choices import OrgKind, OrgStatus
    from techbridge.organizations.models import Organization
    from techbridge.testing.factories.institutions import make_institution

    org, _ = Organization.objects.get_or_create(
        name="矩阵服务中心", kind=OrgKind.SERVICE, defaults={"status": OrgStatus.APPROVED}
    )
    inst = Institution.objects.filter(organization=org).first()
    if inst is None:
        inst = make_institution(org)
        services.record_event(
            inst,
            actor=cast.reviewer,
            kind="judgment",
            severity="severe",
            occurred_on=timezone.localdate(),
            description="判决认定欺诈",
            reference="(2026)苏01民初1号",
        )
    return inst


def institution(cast: Any) -> dict[str, Any]:
    return {"pk": _inst(cast).pk}


def other(cast: Any) -> dict[str, Any]:
    return {"pk": _other(cast).pk}


def score(cast: Any) -> dict[str, Any]:
    from techbridge.institutions import services
    from techbridge.institutions.models import QuarterlyScore
    from techbridge.institutions.scoring import Quarter

    inst = _inst(cast)
    if not QuarterlyScore.objects.filter(institution=inst).exists():
        services.compute_quarter(Quarter.of(timezone.localdate()), institutions=[inst])
    return {
        "pk": inst.pk,
        "score_pk": QuarterlyScore.objects.filter(institution=inst).values_list("pk", flat=True)[0],
    }


def _report(cast: Any) -> Any:
    from techbridge.institutions.models import SelfReport

    inst = _inst(cast)
    year = timezone.localdate().year
    return SelfReport.objects.get_or_create(institution=inst, year=year, defaults={"full_time_staff": 5})[0]


def report_year(cast: Any) -> dict[str, Any]:
    return {"year": _report(cast).year}


def report(cast: Any) -> dict[str, Any]:
    return {"pk": _report(cast).pk}


def _designation(cast: Any) -> Any:
    from techbridge.institutions.models import Designation

    inst = _inst(cast)
    d = Designation.objects.filter(institution=inst).first()
    if d is None:
        name = "institutions/matrix-certificate.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"%PDF-1.4 matrix"))
        d = Designation.objects.create(
            institution=inst,
            level="provincial",
            designated_on=timezone.localdate() - dt.timedelta(days=30),
            certificate_number="SJ-MATRIX",
            issued_by="江苏省科学技术厅",
            certificate=name,
        )
    return d


def designation(cast: Any) -> dict[str, Any]:
    return {"pk": _designation(cast).pk}


def certificate_file(cast: Any) -> dict[str, Any]:
    return {"kind": "certificate", "pk": _designation(cast).pk}


def event(cast: Any) -> dict[str, Any]:
    from techbridge.institutions import services
    from techbridge.institutions.models import CreditEvent

    inst = _inst(cast)
    e = CreditEvent.objects.filter(institution=inst).first() or services.record_event(
        inst,
        actor=cast.reviewer,
        kind="complaint_upheld",
        severity="minor",
        occurred_on=timezone.localdate(),
        description="投诉成立",
        reference="投诉单 1",
    )
    return {"pk": e.pk}


def listing(cast: Any) -> dict[str, Any]:
    from techbridge.institutions.models import Blacklisting

    return {"pk": Blacklisting.objects.get(institution=_other(cast)).pk}


def appeal(cast: Any) -> dict[str, Any]:
    from techbridge.institutions.models import Appeal, Blacklisting

    listing = Blacklisting.objects.get(institution=_other(cast))
    a = Appeal.objects.filter(blacklisting=listing).first() or Appeal.objects.create(
        blacklisting=listing, grounds="判决已撤销"
    )
    return {"pk": a.pk}


def contract(cast: Any) -> dict[str, Any]:
    from techbridge.contracts.models import Contract
    from techbridge.testing.fixtures.institutions import broker_a_deal

    _inst(cast)
    c = Contract.objects.filter(status="performed").first() or broker_a_deal(cast)[1]
    return {"contract_pk": c.pk}


def standard(cast: Any) -> dict[str, Any]:
    from techbridge.institutions.models import ServiceStandard, StandardVersion

    std, _ = ServiceStandard.objects.get_or_create(
        code="T/NJTTA 001-2026", defaults={"title": "技术转移服务规范"}
    )
    StandardVersion.objects.get_or_create(
        standard=std, version=1, defaults={"published_on": timezone.localdate(), "body": "第一条"}
    )
    return {"pk": std.pk}


def standard_version(cast: Any) -> dict[str, Any]:
    return {**standard(cast), "version": 1}


# Routes of the member's own institution: the broker reaches them; nobody else has an institution.
MEMBER_POST: dict[str, Any] = {"method": "POST", "anonymous": LOGIN, "default": HIDE, "broker": OK}

ROUTES = [
    # ---- portal ----
    Route("institutions:directory", default=OK),
    Route("institutions:detail", kwargs=institution, default=OK),
    Route("institutions:score", kwargs=score, default=OK),
    Route("institutions:mine", anonymous=LOGIN, default=OK),
    Route("institutions:profile", anonymous=LOGIN, default=DENY, broker=OK),
    Route("institutions:submit", **MEMBER_POST),
    Route("institutions:withdraw", **MEMBER_POST),
    Route("institutions:designation_new", **MEMBER_POST),
    Route("institutions:report", kwargs=report_year, anonymous=LOGIN, default=HIDE, broker=OK),
    Route("institutions:report_submit", kwargs=report_year, **MEMBER_POST),
    Route("institutions:appeal", **MEMBER_POST),
    Route(
        "institutions:rate",
        kwargs=contract,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=OK,
        univ_admin=OK,
        buyer=OK,
        expect=STAFF,
        note="the parties (and the registry, which sees registered contracts) reach the form",
    ),
    Route("institutions:standards", default=OK),
    Route("institutions:standard", kwargs=standard, default=OK),
    Route("institutions:standard_version", kwargs=standard_version, default=OK),
    Route("institutions:org_search", anonymous=LOGIN, default=OK),
    Route("institutions:file", kwargs=certificate_file, default=HIDE, broker=OK, expect=CONSOLE),
    # ---- console ----
    Route("institutions_console:queue", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("institutions_console:list", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route(
        "institutions_console:institution", kwargs=institution, anonymous=LOGIN, default=DENY, expect=CONSOLE
    ),
    Route(
        "institutions_console:decide",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:alliance",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route(
        "institutions_console:record_event",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:verify_designation",
        kwargs=designation,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:revoke_designation",
        kwargs=designation,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:decide_report",
        kwargs=report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:blacklist",
        kwargs=event,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:lift",
        kwargs=listing,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route(
        "institutions_console:decide_appeal",
        kwargs=appeal,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=STAFF,
    ),
    Route("institutions_console:scores", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    Route("institutions_console:scores", method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route("institutions_console:weights", anonymous=LOGIN, default=DENY, operator=OK),
    Route("institutions_console:standards", anonymous=LOGIN, default=DENY, operator=OK),
    Route("institutions_console:credit", anonymous=LOGIN, default=DENY, expect=CONSOLE),
    # ---- API ----
    Route("api:institution-list", default=OK),
    Route("api:institution-list", method="POST", anonymous=LOGIN, default=DENY, broker=BAD),
    Route("api:institution-detail", kwargs=institution, default=OK),
    Route(
        "api:institution-detail", kwargs=institution, method="PATCH", anonymous=LOGIN, default=DENY, broker=OK
    ),
    Route(
        "api:institution-detail", kwargs=institution, method="DELETE", anonymous=LOGIN, default=NOT_ALLOWED
    ),
    Route(
        "api:institution-submit", kwargs=institution, method="POST", anonymous=LOGIN, default=DENY, broker=BAD
    ),
    Route(
        "api:institution-review",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:institution-withdraw",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        broker=OK,
        operator=OK,
    ),
    Route(
        "api:institution-alliance",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    Route("api:institution-scores", kwargs=institution, default=OK),
    Route(
        "api:institution-designations",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        broker=BAD,
    ),
    Route("api:institution-reports", kwargs=institution, default=HIDE, broker=OK, expect=CONSOLE),
    Route(
        "api:institution-reports",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        broker=BAD,
    ),
    Route(
        "api:institution-credit-events",
        kwargs=institution,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:institution-appeal", kwargs=institution, method="POST", anonymous=LOGIN, default=DENY, broker=BAD
    ),
    Route("api:institution-ratings", kwargs=institution, default=HIDE, broker=OK, expect=CONSOLE),
    Route(
        "api:institution-designation-verify",
        kwargs=designation,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        broker=DENY,
        official=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:institution-report-submit",
        kwargs=report,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        broker=OK,
        reviewer=DENY,
        operator=DENY,
        official=DENY,
    ),
    Route(
        "api:institution-report-review",
        kwargs=report,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        broker=DENY,
        official=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:institution-appeal-decide",
        kwargs=appeal,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        official=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:institution-blacklisting-lift",
        kwargs=listing,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        official=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route("api:institution-rate", method="POST", anonymous=LOGIN, default=BAD),
    Route("api:institution-scores-compute", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:institution-weights", default=OK),
    Route("api:institution-weights", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:institution-standards", default=OK),
]
