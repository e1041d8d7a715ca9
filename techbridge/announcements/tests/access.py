"""Who may open the pages and endpoints of deal announcements (see techbridge.testing.access).

The records: an open notice of a deal between 示范大学 (seller) and 示范企业 (buyer), an objection to it
filed by the outsider with evidence, a certificate of an ended notice, and a registered contract.
"""

from __future__ import annotations

from typing import Any

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import pk_of, registered_contract, shared

CONSOLE = outcomes(reviewer=OK, operator=OK, official=OK)
PARTIES = outcomes(researcher=DENY, univ_admin=DENY, buyer=DENY)


@shared
def open_announcement(cast: Any) -> Any:
    from techbridge.testing.factories.announcements import make_announcement

    return make_announcement(cast, subject="矩阵公示")


@shared
def objection(cast: Any) -> Any:
    from techbridge.testing.factories.announcements import make_objection

    return make_objection(open_announcement(cast), cast.outsider, evidence=True)


@shared
def certificate(cast: Any) -> Any:
    from techbridge.announcements.choices import AnnouncementStatus
    from techbridge.testing.factories.announcements import make_announcement, make_certificate

    return make_certificate(make_announcement(cast, subject="矩阵鉴证", status=AnnouncementStatus.ENDED))


def a_code(cast: Any) -> dict[str, Any]:
    return {"code": certificate(cast).code}


an_announcement = pk_of(open_announcement)
an_objection = pk_of(objection)
a_certificate = pk_of(certificate)


def a_contract(cast: Any) -> dict[str, Any]:
    return {"pk": registered_contract(cast).pk}


def a_contract_for_api(cast: Any) -> dict[str, Any]:
    return {"contract_pk": registered_contract(cast).pk}


ROUTES = [
    Route("announcements:list"),
    Route("announcements:ended"),
    Route("announcements:deals"),
    Route("announcements:detail", kwargs=an_announcement),
    Route("announcements:object", kwargs=an_announcement, anonymous=LOGIN, **PARTIES),
    Route("announcements:object", kwargs=an_announcement, method="POST", anonymous=LOGIN, **PARTIES),
    Route("announcements:evidence", kwargs=an_objection, default=HIDE, outsider=OK, **CONSOLE),
    Route(
        "announcements:consent",
        kwargs=a_contract,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=OK,
        univ_admin=OK,
        buyer=OK,
        reviewer=DENY,
        operator=DENY,
    ),
    Route("certificates:verify"),
    Route("certificates:verify-code", kwargs=a_code),
    Route("certificates:pdf", kwargs=a_code),
    # ---- console
    Route("announcements_console:home", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("announcements_console:objection", kwargs=an_objection, anonymous=LOGIN, default=DENY, **CONSOLE),
    Route(
        "announcements_console:objection",
        kwargs=an_objection,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route(
        "announcements_console:revoke",
        kwargs=a_certificate,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    # ---- API
    Route("api:announcement-list"),
    Route("api:announcement-detail", kwargs=an_announcement),
    Route("api:announcement-deals"),
    Route(
        "api:announcement-objections",
        kwargs=an_announcement,
        method="POST",
        anonymous=LOGIN,
        default=BAD,
        **PARTIES,
    ),
    Route(
        "api:announcement-publication",
        kwargs=a_contract_for_api,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=BAD,
        univ_admin=BAD,
        buyer=BAD,
        reviewer=DENY,
        operator=DENY,
    ),
    Route("api:announcement-objection-list", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route(
        "api:announcement-objection-detail",
        kwargs=an_objection,
        anonymous=LOGIN,
        default=HIDE,
        outsider=OK,
        **CONSOLE,
    ),
    Route(
        "api:announcement-objection-resolve",
        kwargs=an_objection,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        outsider=DENY,
        reviewer=DENY,
        official=DENY,
        operator=BAD,
    ),
    Route("api:certificate-verify", kwargs=a_code),
    Route(
        "api:certificate-revoke",
        kwargs=a_certificate,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
]
