"""Who may open the pages and endpoints of the technology-transfer office (see techbridge.testing.access).

The records: a case of 示范大学 disclosed by the researcher (sole inventor) and awaiting the office
(univ_admin); a granted patent of that case declared open for licence; the enterprise (buyer) holds a
licence by notice; a distribution with the researcher's statement; an annual report of the university.
Nobody else sees the case (404, not even platform staff); declared licences are public.
"""

from __future__ import annotations

from typing import Any

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route
from techbridge.testing.fixtures.records import pk_of, shared

CASE: dict[str, Any] = {"anonymous": LOGIN, "researcher": OK, "univ_admin": OK}
OFFICE: dict[str, Any] = {"anonymous": LOGIN, "researcher": DENY, "univ_admin": OK}


@shared
def _case(cast):
    from django.core.files.base import ContentFile

    from techbridge.testing.factories.tto import make_case
    from techbridge.tto.models import DisclosureFile

    case = make_case(cast)
    item = DisclosureFile(disclosure=case, name="数据.txt", size=4, uploaded_by=cast.researcher)
    item.file.save("data.txt", ContentFile(b"data"), save=True)
    return case


@shared
def _application(cast):
    from techbridge.testing.factories.tto import make_application

    return make_application(cast, _case(cast))


@shared
def _action(cast):
    import datetime as dt

    from techbridge.tto.models import OfficeAction

    return OfficeAction.objects.create(
        application=_application(cast),
        kind="first",
        issued_on=dt.date(2021, 1, 4),
        response_due=dt.date(2021, 5, 19),
    )


@shared
def _licence(cast):
    from techbridge.testing.factories.tto import make_open_licence

    return make_open_licence(cast, _application(cast))


@shared
def _other_licence(cast):
    from techbridge.testing.factories.tto import make_application, make_open_licence

    return make_open_licence(cast, make_application(cast, _case(cast), number="CN202010000002.X"))


@shared
def _grant(cast):
    from techbridge.testing.factories.achievements import make_achievement
    from techbridge.testing.factories.contracts import make_signed_contract
    from techbridge.tto.models import LicenceGrant

    contract = make_signed_contract(cast, make_achievement(cast))
    return LicenceGrant.objects.create(licence=_licence(cast), licensee=cast.enterprise, contract=contract)


@shared
def _distribution(cast):
    from techbridge.testing.factories.tto import make_distribution

    return make_distribution(cast, _case(cast))


@shared
def _line(cast):
    return _distribution(cast).lines.first()


@shared
def _report(cast):
    from techbridge.testing.factories.tto import make_report

    return make_report(cast)


@shared
def _report_to_finalise(cast):
    from techbridge.testing.factories.tto import make_report

    return make_report(cast, year=2024)


def a_file(cast):
    case = _case(cast)
    return {"pk": case.pk, "file_pk": case.files.first().pk}


def a_report_file(cast):
    return {"pk": _report(cast).pk, "fmt": "pdf"}


a_case = pk_of(_case)
an_application = pk_of(_application)
TAKERS = {"buyer": OK, "broker": OK, "reviewer": OK, "operator": OK, "official": OK, "stranger": OK}

ROUTES = [
    Route("tto:home", anonymous=LOGIN, default=OK),
    Route("tto:create", anonymous=LOGIN, default=DENY, researcher=OK, univ_admin=OK, stranger=OK),
    Route(
        "tto:create", method="POST", anonymous=LOGIN, default=DENY, researcher=OK, univ_admin=OK, stranger=OK
    ),
    Route("tto:case", kwargs=a_case, expect=CASE, default=HIDE),
    Route("tto:edit", kwargs=a_case, expect=CASE, default=HIDE),
    Route("tto:edit", kwargs=a_case, method="POST", expect=CASE, default=HIDE),
    Route("tto:submit", kwargs=a_case, method="POST", expect=CASE, default=HIDE),
    Route("tto:assess", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:decide", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:return", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:add_file", kwargs=a_case, method="POST", expect=CASE, default=HIDE),
    Route("tto:file", kwargs=a_file, expect=CASE, default=HIDE),
    Route("tto:publish", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:file_application", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:income", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:distribute", kwargs=a_case, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:examination", kwargs=an_application, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:office_action", kwargs=an_application, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:grant", kwargs=an_application, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:annuity", kwargs=an_application, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:declare", kwargs=an_application, method="POST", expect=OFFICE, default=HIDE),
    Route("tto:answer_action", kwargs=pk_of(_action), method="POST", expect=OFFICE, default=HIDE),
    Route("tto:issue", kwargs=pk_of(_distribution), method="POST", expect=OFFICE, default=HIDE),
    Route("tto:statement", kwargs=pk_of(_line), expect=CASE, default=HIDE),
    Route("tto:licences", default=OK),
    Route("tto:licence", kwargs=pk_of(_licence), default=OK),
    Route("tto:take", kwargs=pk_of(_licence), method="POST", anonymous=LOGIN, default=DENY, expect=TAKERS),
    Route(
        "tto:withdraw_licence",
        kwargs=pk_of(_other_licence),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
    ),
    Route(
        "tto:royalties",
        kwargs=pk_of(_grant),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=DENY,
        buyer=OK,
    ),
    Route("tto:policy", anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route("tto:policy", method="POST", anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route("tto:reports", anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route("tto:reports", method="POST", anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route("tto:report", kwargs=pk_of(_report), anonymous=LOGIN, default=HIDE, univ_admin=OK),
    Route("tto:report", kwargs=pk_of(_report), method="POST", anonymous=LOGIN, default=HIDE, univ_admin=OK),
    Route("tto:report_file", kwargs=a_report_file, anonymous=LOGIN, default=HIDE, univ_admin=OK),
    Route(
        "tto:finalise",
        kwargs=pk_of(_report_to_finalise),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=OK,
    ),
]

A = "api:"
API_CASE = {"anonymous": LOGIN, "researcher": OK, "univ_admin": OK}
API_OFFICE = {"anonymous": LOGIN, "researcher": DENY, "univ_admin": BAD}
ROUTES += [
    Route(A + "tto-disclosure-list", anonymous=LOGIN, default=OK),
    Route(
        A + "tto-disclosure-list",
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
        stranger=BAD,
    ),
    Route(A + "tto-disclosure-detail", kwargs=a_case, expect=API_CASE, default=HIDE),
    Route(
        A + "tto-disclosure-submit",
        kwargs=a_case,
        method="POST",
        anonymous=LOGIN,
        researcher=BAD,
        univ_admin=BAD,
        default=HIDE,
    ),
    Route(A + "tto-disclosure-assess", kwargs=a_case, method="POST", expect=API_OFFICE, default=HIDE),
    Route(A + "tto-disclosure-decide", kwargs=a_case, method="POST", expect=API_OFFICE, default=HIDE),
    Route(A + "tto-disclosure-publish", kwargs=a_case, method="POST", expect=API_OFFICE, default=HIDE),
    Route(A + "tto-disclosure-applications", kwargs=a_case, method="POST", expect=API_OFFICE, default=HIDE),
    Route(A + "tto-disclosure-income", kwargs=a_case, method="POST", expect=API_OFFICE, default=HIDE),
    Route(A + "tto-disclosure-distributions", kwargs=a_case, method="POST", expect=API_OFFICE, default=HIDE),
    Route(
        A + "tto-application-detail",
        kwargs=an_application,
        anonymous=LOGIN,
        researcher=DENY,
        univ_admin=OK,
        default=HIDE,
    ),
    Route(
        A + "tto-application-office-actions",
        kwargs=an_application,
        method="POST",
        expect=API_OFFICE,
        default=HIDE,
    ),
    Route(A + "tto-application-grant", kwargs=an_application, method="POST", expect=API_OFFICE, default=HIDE),
    Route(
        A + "tto-application-annuity", kwargs=an_application, method="POST", expect=API_OFFICE, default=HIDE
    ),
    Route(
        A + "tto-application-open-licence",
        kwargs=an_application,
        method="POST",
        expect=API_OFFICE,
        default=HIDE,
    ),
    Route(A + "tto-licence-list", default=OK),
    Route(A + "tto-licence-detail", kwargs=pk_of(_licence), default=OK),
    Route(
        A + "tto-licence-take",
        kwargs=pk_of(_other_licence),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        expect=TAKERS,
    ),
    Route(
        A + "tto-licence-royalties",
        kwargs=pk_of(_licence),
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        buyer=BAD,
    ),
    Route(A + "tto-distribution-detail", kwargs=pk_of(_distribution), expect=API_CASE, default=HIDE),
    Route(
        A + "tto-distribution-issue",
        kwargs=pk_of(_distribution),
        method="POST",
        anonymous=LOGIN,
        researcher=DENY,
        univ_admin=OK,
        default=HIDE,
    ),
    Route(A + "tto-report-list", anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route(A + "tto-report-list", method="POST", anonymous=LOGIN, default=DENY, univ_admin=BAD),
    Route(A + "tto-report-detail", kwargs=pk_of(_report), anonymous=LOGIN, default=HIDE, univ_admin=OK),
    Route(
        A + "tto-report-detail",
        kwargs=pk_of(_report),
        method="PATCH",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=OK,
    ),
    Route(
        A + "tto-report-finalise",
        kwargs=pk_of(_report_to_finalise),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=OK,
    ),
]
