"""Who may open the pages and endpoints of IP services (see techbridge.testing.access).

The records behind the routes: the enterprise (buyer's 示范企业) watches a product and has an alert on
a patent; it asked the service institution (broker's 示范技术转移中心, registered as an IP service
provider) for an analysis and for assistance (one submitted request with an evidence file, one draft).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route

STAFF: dict[str, Any] = {"reviewer": OK, "operator": OK}
NOT_ANON: dict[str, Any] = {"anonymous": LOGIN}


def _provider(cast):
    from techbridge.ipservices.models import ServiceProvider

    return ServiceProvider.objects.get_or_create(organization=cast.service, defaults={"role": "institution"})[
        0
    ]


def _patent(cast, number="CN202010000001.1"):
    from techbridge.ipservices.models import Patent

    patent = Patent.objects.filter(application_number=number).first()
    if patent is None:
        patent = Patent(
            application_number=number,
            title="一种配电网故障定位方法",
            kind="invention",
            legal_status="granted",
            filing_date=dt.date(2020, 3, 5),
            grant_date=dt.date(2022, 6, 1),
            city="南京",
        )
        patent.save()
    return patent


def a_patent(cast):
    return {"pk": _patent(cast).pk}


def an_industry(cast):
    from techbridge.ipservices.models import Industry

    industry, _ = Industry.objects.get_or_create(
        name="智能电网", defaults={"code": "smart-grid", "ipc_prefixes": "H02J"}
    )
    return {"pk": industry.pk}


def a_report(cast):
    from techbridge.ipservices.models import Industry, NavigationReport

    industry = Industry.objects.get(pk=an_industry(cast)["pk"])
    report = NavigationReport.objects.create(
        industry=industry, status="ready", finished_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    report.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    return {"pk": report.pk, "fmt": "pdf"}


def a_product(cast):
    from techbridge.ipservices.models import WatchedProduct

    product, _ = WatchedProduct.objects.get_or_create(
        organization=cast.enterprise,
        name="配电终端",
        defaults={"description": "馈线自动化配电终端，定位接地故障。"},
    )
    return {"pk": product.pk}


def _alert(cast):
    from techbridge.ipservices.models import PatentAlert, WatchedProduct

    product = WatchedProduct.objects.get(pk=a_product(cast)["pk"])
    alert, _ = PatentAlert.objects.get_or_create(
        product=product,
        patent=_patent(cast),
        defaults={"organization": cast.enterprise, "score": 0.93, "shared_terms": ["配电"]},
    )
    return alert


def an_alert(cast):
    return {"pk": _alert(cast).pk}


def _analysis(cast):
    from techbridge.ipservices.models import AnalysisRequest

    return AnalysisRequest.objects.create(
        organization=cast.enterprise,
        patent=_patent(cast),
        provider=_provider(cast),
        question="是否落入权利要求？",
        requested_by=cast.buyer,
    )


def an_analysis(cast):
    return {"pk": _analysis(cast).pk}


def an_analysis_accept(cast):
    return {"pk": _analysis(cast).pk, "action": "accept"}


def _assistance(cast, status="submitted"):
    from techbridge.ipservices.models import AssistanceRequest

    return AssistanceRequest.objects.create(
        applicant=cast.enterprise,
        kind="infringement",
        title="发现仿制产品",
        description="展会上发现仿制。",
        provider=_provider(cast) if status != "draft" else None,
        status=status,
        created_by=cast.buyer,
    )


def a_request(cast):
    return {"pk": _assistance(cast).pk}


def a_draft(cast):
    return {"pk": _assistance(cast, "draft").pk}


def a_request_accept(cast):
    return {"pk": _assistance(cast).pk, "action": "accept"}


def an_evidence_file(cast):
    from techbridge.ipservices.models import EvidenceFile

    req = _assistance(cast)
    evidence = EvidenceFile(request=req, name="证据.pdf", size=10, sha256="0" * 64, uploaded_by=cast.buyer)
    evidence.file.save("matrix-evidence.pdf", ContentFile(b"%PDF-1.4 e"), save=True)
    return {"pk": req.pk, "file_pk": evidence.pk}


def a_designation(cast):
    from techbridge.ipservices.models import Designation

    return {"pk": Designation.objects.create(organization=cast.enterprise, year=2024).pk}


ENTERPRISE = {"anonymous": LOGIN, "buyer": OK}  # early warning: members of approved enterprises
READERS = {"anonymous": LOGIN, "buyer": OK, "broker": OK, **STAFF}  # requester, provider, staff
ASKERS = {"researcher": OK, "univ_admin": OK, "buyer": OK, "broker": OK, "stranger": OK}

ROUTES = [
    # ---- public: the register, navigation, IP-intensive enterprises
    Route("ipservices:home", default=OK),
    Route("ipservices:patents", default=OK),
    Route("ipservices:patent", kwargs=a_patent, default=OK),
    Route("ipservices:industries", default=OK),
    Route("ipservices:industry", kwargs=an_industry, default=OK),
    Route(
        "ipservices:report_request", kwargs=an_industry, method="POST", anonymous=LOGIN, default=DENY, **STAFF
    ),
    Route("ipservices:report_file", kwargs=a_report, anonymous=LOGIN, default=OK),
    Route("ipservices:enterprises", default=OK),
    # ---- early warning
    Route("ipservices:warning", expect=ENTERPRISE, default=DENY),
    Route("ipservices:product_new", expect=ENTERPRISE, default=DENY),
    Route("ipservices:product_edit", kwargs=a_product, expect=ENTERPRISE, default=DENY),
    Route("ipservices:product_watch", kwargs=a_product, method="POST", expect=ENTERPRISE, default=DENY),
    Route("ipservices:alerts", expect=ENTERPRISE, default=DENY),
    Route("ipservices:alert", kwargs=an_alert, expect=ENTERPRISE, default=DENY),
    Route("ipservices:alert_decide", kwargs=an_alert, method="POST", expect=ENTERPRISE, default=DENY),
    Route("ipservices:alert_analysis", kwargs=an_alert, method="POST", expect=ENTERPRISE, default=DENY),
    Route("ipservices:opportunities", expect=ENTERPRISE, default=DENY),
    # ---- requests
    Route("ipservices:requests", anonymous=LOGIN, default=OK),
    Route("ipservices:analysis", kwargs=an_analysis, expect=READERS, default=HIDE),
    Route(
        "ipservices:analysis_act",
        kwargs=an_analysis_accept,
        method="POST",
        expect={**NOT_ANON, "broker": OK, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
        note="only the provider's members accept",
    ),
    Route("ipservices:assistance_new", expect={**NOT_ANON, **ASKERS}, default=DENY),
    Route("ipservices:assistance", kwargs=a_request, expect=READERS, default=HIDE),
    Route(
        "ipservices:assistance_edit",
        kwargs=a_draft,
        expect={**NOT_ANON, "buyer": OK},
        default=HIDE,
        note="drafts are the applicant's alone",
    ),
    Route(
        "ipservices:assistance_act",
        kwargs=a_request_accept,
        method="POST",
        expect={**NOT_ANON, "broker": OK, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(
        "ipservices:evidence_upload",
        kwargs=a_draft,
        method="POST",
        expect={**NOT_ANON, "buyer": OK},
        default=HIDE,
    ),
    Route("ipservices:evidence_file", kwargs=an_evidence_file, expect=READERS, default=HIDE),
    # ---- console
    Route("ipservices_console:industries", anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:industry_new", anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:industry_edit", kwargs=an_industry, anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:patents", anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:patent_new", anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:patent_edit", kwargs=a_patent, anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "ipservices_console:patent_status",
        kwargs=a_patent,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
    Route("ipservices_console:assistance", anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:assistance_stats", anonymous=LOGIN, default=DENY, official=OK, **STAFF),
    Route("ipservices_console:providers", anonymous=LOGIN, default=DENY, operator=OK),
    Route("ipservices_console:enterprises", anonymous=LOGIN, default=DENY, **STAFF),
    Route("ipservices_console:designate", method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route(
        "ipservices_console:revoke",
        kwargs=a_designation,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route("ipservices_console:org_search", anonymous=LOGIN, default=DENY, **STAFF),
]

# ---- the API
A = "api:"
ROUTES += [
    Route(A + "ip-patent-list", default=OK),
    Route(A + "ip-patent-detail", kwargs=a_patent, default=OK),
    Route(
        A + "ip-patent-by-number",
        kwargs=lambda cast: (_patent(cast), {})[1],
        query="number=ZL2020100000011",
        default=OK,
    ),
    Route(A + "ip-industry-list", default=OK),
    Route(A + "ip-industry-list", method="POST", anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD),
    Route(A + "ip-industry-detail", kwargs=an_industry, default=OK),
    Route(
        A + "ip-industry-detail", kwargs=an_industry, method="PATCH", anonymous=LOGIN, default=DENY, **STAFF
    ),
    Route(A + "ip-industry-landscape", kwargs=an_industry, default=OK),
    Route(A + "ip-industry-reports", kwargs=an_industry, default=OK),
    Route(
        A + "ip-industry-reports", kwargs=an_industry, method="POST", anonymous=LOGIN, default=DENY, **STAFF
    ),
    Route(
        A + "ip-report-detail", kwargs=lambda cast: {"pk": a_report(cast)["pk"]}, anonymous=LOGIN, default=OK
    ),
    Route(A + "ip-provider-list", anonymous=LOGIN, default=OK),
    Route(A + "ip-provider-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route(A + "ip-designation-list", default=OK),
    Route(A + "ip-designation-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route(A + "ip-indicators-list", anonymous=LOGIN, default=DENY, **STAFF),
    Route(A + "ip-indicators-list", method="POST", anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD),
    Route(A + "ip-product-list", expect=ENTERPRISE, default=DENY),
    Route(A + "ip-product-list", method="POST", anonymous=LOGIN, default=DENY, buyer=BAD),
    Route(A + "ip-product-detail", kwargs=a_product, expect=ENTERPRISE, default=DENY),
    Route(A + "ip-product-detail", kwargs=a_product, method="PATCH", expect=ENTERPRISE, default=DENY),
    Route(A + "ip-product-watch", kwargs=a_product, method="POST", anonymous=LOGIN, default=DENY, buyer=BAD),
    Route(A + "ip-alert-list", expect=ENTERPRISE, default=DENY),
    Route(A + "ip-alert-detail", kwargs=an_alert, expect=ENTERPRISE, default=DENY),
    Route(A + "ip-alert-decide", kwargs=an_alert, method="POST", anonymous=LOGIN, default=DENY, buyer=BAD),
    Route(A + "ip-alert-analysis", kwargs=an_alert, method="POST", anonymous=LOGIN, default=DENY, buyer=BAD),
    Route(A + "ip-opportunities", expect=ENTERPRISE, default=DENY),
    Route(A + "ip-analysis-list", anonymous=LOGIN, default=OK),
    Route(A + "ip-analysis-detail", kwargs=an_analysis, expect=READERS, default=HIDE),
    Route(
        A + "ip-analysis-accept",
        kwargs=an_analysis,
        method="POST",
        expect={**NOT_ANON, "broker": OK, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(
        A + "ip-analysis-answer",
        kwargs=an_analysis,
        method="POST",
        expect={**NOT_ANON, "broker": BAD, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(
        A + "ip-analysis-decline",
        kwargs=an_analysis,
        method="POST",
        expect={**NOT_ANON, "broker": BAD, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(
        A + "ip-analysis-withdraw",
        kwargs=an_analysis,
        method="POST",
        expect={**NOT_ANON, "buyer": OK, "broker": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(A + "ip-assistance-list", anonymous=LOGIN, default=OK),
    Route(
        A + "ip-assistance-list",
        method="POST",
        expect={**NOT_ANON, **{k: BAD for k in ASKERS}},
        default=DENY,
    ),
    Route(A + "ip-assistance-detail", kwargs=a_request, expect=READERS, default=HIDE),
    Route(
        A + "ip-assistance-detail",
        kwargs=a_request,
        method="PATCH",
        expect={**NOT_ANON, "buyer": DENY, "broker": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
        note="a submitted request is no longer edited",
    ),
    Route(
        A + "ip-assistance-submit",
        kwargs=a_draft,
        method="POST",
        expect={**NOT_ANON, "buyer": BAD},
        default=HIDE,
    ),
    Route(
        A + "ip-assistance-reroute",
        kwargs=a_request,
        method="POST",
        expect={**NOT_ANON, "buyer": DENY, "broker": DENY, "reviewer": BAD, "operator": BAD},
        default=HIDE,
    ),
    Route(
        A + "ip-assistance-accept",
        kwargs=a_request,
        method="POST",
        expect={**NOT_ANON, "broker": OK, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(
        A + "ip-assistance-decline",
        kwargs=a_request,
        method="POST",
        expect={**NOT_ANON, "broker": BAD, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(
        A + "ip-assistance-close",
        kwargs=a_request,
        method="POST",
        expect={**NOT_ANON, "broker": BAD, "buyer": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
        note="only an accepted request is closed; the provider's member gets past the check",
    ),
    Route(
        A + "ip-assistance-withdraw",
        kwargs=a_request,
        method="POST",
        expect={**NOT_ANON, "buyer": OK, "broker": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(A + "ip-assistance-evidence", kwargs=a_request, expect=READERS, default=HIDE),
    Route(
        A + "ip-assistance-evidence",
        kwargs=a_request,
        method="POST",
        expect={**NOT_ANON, "buyer": BAD, "broker": DENY, "reviewer": DENY, "operator": DENY},
        default=HIDE,
    ),
    Route(A + "ip-assistance-stats", anonymous=LOGIN, default=DENY, official=OK, **STAFF),
]
