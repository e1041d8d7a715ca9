"""Who may open the pages and endpoints of challenges (see techbridge.testing.access).

The records: an open challenge of the enterprise (the buyer publishes) with the university's sealed
application and its plan; a draft and a submitted challenge of the enterprise; a closed one and one
under expert review, each with the university's application; an awarded one with a milestone. Nobody of
the cast sits on a panel (the services' tests cover the experts).
"""

from __future__ import annotations

from typing import Any

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import pk_of, shared

STAFF = outcomes(reviewer=OK, operator=OK)
APPLICANTS = outcomes(researcher=OK, univ_admin=OK, broker=OK, stranger=OK)


def _challenge(cast: Any, **extra: Any) -> Any:
    from techbridge.testing.factories.challenges import make_challenge

    return make_challenge(cast, **extra)


def _application(challenge: Any, cast: Any, plan: bool = False) -> Any:
    from django.core.files.base import ContentFile

    from techbridge.testing.factories.challenges import make_application

    app = make_application(challenge, cast.university, cast.researcher)
    if plan:
        app.plan.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return app


@shared
def open_challenge(cast: Any) -> Any:
    return _challenge(cast, title="矩阵开放榜单")


@shared
def sealed_application(cast: Any) -> Any:
    return _application(open_challenge(cast), cast, plan=True)


@shared
def draft_challenge(cast: Any) -> Any:
    from techbridge.challenges.choices import ChallengeStatus

    return _challenge(cast, title="矩阵草稿榜单", status=ChallengeStatus.DRAFT, published_at=None)


@shared
def submitted_challenge(cast: Any) -> Any:
    from techbridge.challenges.choices import ChallengeStatus

    return _challenge(cast, title="矩阵待审榜单", status=ChallengeStatus.SUBMITTED, published_at=None)


@shared
def closed_challenge(cast: Any) -> Any:
    from techbridge.testing.factories.challenges import close_applications

    challenge = _challenge(cast, title="矩阵截止榜单")
    _application(challenge, cast)
    return close_applications(challenge)


@shared
def closed_application(cast: Any) -> Any:
    return _application(_challenge(cast, title="矩阵截止附件"), cast, plan=True)


def _closed_application(cast: Any) -> dict[str, Any]:
    from techbridge.testing.factories.challenges import close_applications

    app = closed_application(cast)
    close_applications(app.challenge)
    return {"pk": app.pk}


@shared
def reviewing_challenge(cast: Any) -> Any:
    from techbridge.challenges.choices import ChallengeStatus
    from techbridge.testing.factories.challenges import close_applications

    challenge = _challenge(cast, title="矩阵评审榜单")
    _application(challenge, cast)
    return close_applications(challenge, ChallengeStatus.REVIEWING)


def _reviewed_application(cast: Any) -> dict[str, Any]:
    return {"pk": reviewing_challenge(cast).applications.get().pk}


@shared
def milestone(cast: Any) -> Any:
    from techbridge.challenges.choices import ChallengeStatus
    from techbridge.challenges.models import Milestone
    from techbridge.testing.factories.challenges import close_applications

    challenge = close_applications(_challenge(cast, title="矩阵已揭榜"), ChallengeStatus.AWARDED)
    return Milestone.objects.create(challenge=challenge, order=0, title="样品交付")


an_open = pk_of(open_challenge)
a_draft = pk_of(draft_challenge)
a_submitted = pk_of(submitted_challenge)
a_closed = pk_of(closed_challenge)
a_reviewing = pk_of(reviewing_challenge)
a_sealed = pk_of(sealed_application)
a_milestone = pk_of(milestone)


def an_awarded(cast: Any) -> dict[str, Any]:
    return {"pk": milestone(cast).challenge_id}


SIGNED = {"anonymous": LOGIN}
PUBLISHER_ONLY = outcomes(SIGNED, default=DENY, buyer=OK)
DECIDERS = outcomes(SIGNED, default=DENY, buyer=OK, operator=OK)
OWN_DRAFT = outcomes(SIGNED, default=HIDE, buyer=OK, reviewer=DENY, operator=DENY)
OWN_SEALED = outcomes(SIGNED, default=HIDE, researcher=OK, univ_admin=OK)

ROUTES = [
    Route("challenges:list"),
    Route("challenges:detail", kwargs=an_open),
    Route("challenges:detail", kwargs=an_awarded),
    Route("challenges:detail", kwargs=a_draft, default=HIDE, buyer=OK, **STAFF),
    Route("challenges:create", **outcomes(SIGNED, default=DENY, buyer=OK, official=OK)),
    Route("challenges:create", method="POST", **outcomes(SIGNED, default=DENY, buyer=OK, official=OK)),
    Route("challenges:edit", kwargs=a_draft, **OWN_DRAFT),
    Route("challenges:edit", kwargs=a_draft, method="POST", **OWN_DRAFT),
    Route("challenges:submit", kwargs=a_draft, method="POST", **OWN_DRAFT),
    Route("challenges:withdraw", kwargs=an_open, method="POST", **PUBLISHER_ONLY),
    Route("challenges:close", kwargs=an_open, method="POST", **DECIDERS),
    Route("challenges:award", kwargs=a_reviewing, method="POST", **DECIDERS),
    Route("challenges:fail", kwargs=a_reviewing, method="POST", **DECIDERS),
    Route("challenges:apply", kwargs=an_open, **outcomes(SIGNED, default=DENY, **APPLICANTS)),
    Route("challenges:apply", kwargs=an_open, method="POST", **outcomes(SIGNED, default=DENY, **APPLICANTS)),
    Route("challenges:review", kwargs=a_reviewing, anonymous=LOGIN, default=DENY),
    Route("challenges:application-withdraw", kwargs=a_sealed, method="POST", **OWN_SEALED),
    Route("challenges:application-plan", kwargs=a_sealed, **OWN_SEALED),
    Route(
        "challenges:application-plan",
        kwargs=_closed_application,
        **outcomes(OWN_SEALED, buyer=OK, **STAFF),
    ),
    Route(
        "challenges:application-score",
        kwargs=_reviewed_application,
        method="POST",
        **outcomes(
            SIGNED, default=HIDE, researcher=DENY, univ_admin=DENY, buyer=DENY, reviewer=DENY, operator=DENY
        ),
    ),
    Route("challenges:milestone-decide", kwargs=a_milestone, method="POST", **PUBLISHER_ONLY),
    # ---- console
    Route("challenges_console:home", **outcomes(SIGNED, default=DENY, **STAFF)),
    Route(
        "challenges_console:approve",
        kwargs=a_submitted,
        method="POST",
        **outcomes(SIGNED, default=DENY, **STAFF),
    ),
    Route(
        "challenges_console:reject",
        kwargs=a_submitted,
        method="POST",
        **outcomes(SIGNED, default=DENY, **STAFF),
    ),
    Route("challenges_console:panel", kwargs=a_closed, **outcomes(SIGNED, default=DENY, **STAFF)),
    Route(
        "challenges_console:panel",
        kwargs=a_closed,
        method="POST",
        **outcomes(SIGNED, default=DENY, reviewer=DENY, operator=OK),
    ),
    # ---- API
    Route("api:challenge-list"),
    Route("api:challenge-list", method="POST", **outcomes(SIGNED, default=DENY, buyer=BAD, official=BAD)),
    Route("api:challenge-detail", kwargs=an_open),
    Route("api:challenge-detail", kwargs=a_draft, default=HIDE, buyer=OK, **STAFF),
    Route("api:challenge-detail", kwargs=a_draft, method="PATCH", **OWN_DRAFT),
    Route("api:challenge-submit", kwargs=a_draft, method="POST", **OWN_DRAFT),
    Route(
        "api:challenge-approve",
        kwargs=a_submitted,
        method="POST",
        **outcomes(SIGNED, default=HIDE, buyer=DENY, **STAFF),
    ),
    Route(
        "api:challenge-reject",
        kwargs=a_submitted,
        method="POST",
        **outcomes(SIGNED, default=HIDE, buyer=DENY, reviewer=BAD, operator=BAD),
    ),
    Route("api:challenge-withdraw", kwargs=an_open, method="POST", **PUBLISHER_ONLY),
    Route("api:challenge-close", kwargs=an_open, method="POST", **DECIDERS),
    Route(
        "api:challenge-panel", kwargs=a_closed, method="POST", **outcomes(SIGNED, default=DENY, operator=BAD)
    ),
    Route(
        "api:challenge-award",
        kwargs=a_reviewing,
        method="POST",
        **outcomes(SIGNED, default=DENY, buyer=BAD, operator=BAD),
    ),
    Route(
        "api:challenge-fail",
        kwargs=a_reviewing,
        method="POST",
        **outcomes(SIGNED, default=DENY, buyer=BAD, operator=BAD),
    ),
    Route("api:challenge-applications", kwargs=an_open),
    Route(
        "api:challenge-applications",
        kwargs=an_open,
        method="POST",
        **outcomes(SIGNED, default=DENY, researcher=BAD, univ_admin=BAD, broker=BAD, stranger=BAD),
    ),
    Route("api:challenge-milestones", kwargs=an_awarded),
    Route("api:challenge-application-detail", kwargs=a_sealed, default=HIDE, researcher=OK, univ_admin=OK),
    Route("api:challenge-application-withdraw", kwargs=a_sealed, method="POST", **OWN_SEALED),
    Route(
        "api:challenge-application-plan",
        kwargs=a_sealed,
        method="POST",
        **outcomes(SIGNED, default=HIDE, researcher=BAD, univ_admin=BAD),
    ),
    Route(
        "api:challenge-application-score",
        kwargs=_reviewed_application,
        method="POST",
        **outcomes(
            SIGNED, default=HIDE, researcher=DENY, univ_admin=DENY, buyer=DENY, reviewer=DENY, operator=DENY
        ),
    ),
    Route(
        "api:challenge-milestone-decide",
        kwargs=a_milestone,
        method="POST",
        **outcomes(SIGNED, default=DENY, buyer=BAD),
    ),
]
