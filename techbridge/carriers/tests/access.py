"""Who may open the pages and endpoints of carriers and enterprises (see techbridge.testing.access).

The records: a draft and an approved maker space of 示范大学 (registered by the researcher), an annual
report of the approved one, a firm it hosts, a project led by 示范大学 with 示范企业 as a party, an
alliance led by 示范大学 with 示范企业 as a member, a valid designation of 示范企业, a published and a
draft case (``techbridge/testing/fixtures/records.py``, made once for the whole matrix).
"""

from __future__ import annotations

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    alliance,
    alliance_member,
    approved_carrier,
    carrier_report,
    collaboration_project,
    designation,
    draft_carrier,
    draft_case,
    evaluation_formula,
    incubated_firm,
    pk_of,
    project_milestone,
    published_case,
)

CONSOLE = outcomes(reviewer=OK, operator=OK, official=OK)
STAFF = outcomes(reviewer=OK, operator=OK)
UNIVERSITY = outcomes(researcher=OK, univ_admin=OK)

_draft = pk_of(draft_carrier)
a_carrier = pk_of(approved_carrier)
a_firm = pk_of(incubated_firm)
a_report = pk_of(carrier_report)
a_formula = pk_of(evaluation_formula)
a_project = pk_of(collaboration_project)
a_milestone = pk_of(project_milestone)
an_alliance = pk_of(alliance)
a_member = pk_of(alliance_member)
a_designation = pk_of(designation)
a_case = pk_of(published_case)
a_draft_case = pk_of(draft_case)


ROUTES = [
    # ---- portal: carriers
    Route("carriers:list"),
    Route("carriers:stats"),
    Route(
        "carriers:create",
        anonymous=LOGIN,
        default=OK,
        reviewer=DENY,
        official=DENY,
        outsider=DENY,
    ),
    Route("carriers:detail", kwargs=a_carrier),
    Route(
        "carriers:detail",
        kwargs=_draft,
        note="a draft: its organisation and console users",
        default=HIDE,
        **UNIVERSITY,
        **CONSOLE,
    ),
    Route(
        "carriers:edit",
        kwargs=_draft,
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    Route(
        "carriers:submit",
        kwargs=_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    Route("carriers:firms", kwargs=a_carrier, anonymous=LOGIN, default=DENY, **UNIVERSITY, **CONSOLE),
    Route(
        "carriers:firms",
        kwargs=a_carrier,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **UNIVERSITY,
        operator=OK,
    ),
    Route(
        "carriers:firm_close",
        kwargs=a_firm,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **UNIVERSITY,
        operator=OK,
    ),
    Route(
        "carriers:report_create", kwargs=a_carrier, anonymous=LOGIN, default=DENY, **UNIVERSITY, operator=OK
    ),
    Route("carriers:report", kwargs=a_report, anonymous=LOGIN, default=HIDE, **UNIVERSITY, **CONSOLE),
    Route(
        "carriers:report_submit",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    # ---- portal: enterprises
    Route("carriers:designations"),
    Route("carriers:rd_input", anonymous=LOGIN, default=DENY, note="admins of an approved enterprise only"),
    Route("carriers:rd_input", method="POST", anonymous=LOGIN, default=DENY),
    Route("carriers:projects", anonymous=LOGIN, default=OK),
    Route(
        "carriers:project_create", anonymous=LOGIN, default=OK, reviewer=DENY, official=DENY, outsider=DENY
    ),
    Route(
        "carriers:project",
        kwargs=a_project,
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        buyer=OK,
        **CONSOLE,
    ),
    Route(
        "carriers:project_edit",
        kwargs=a_project,
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        buyer=DENY,
        reviewer=DENY,
        official=DENY,
    ),
    *[
        Route(
            name,
            kwargs=builder,
            method="POST",
            anonymous=LOGIN,
            default=HIDE,
            **UNIVERSITY,
            operator=OK,
            buyer=DENY,
            reviewer=DENY,
            official=DENY,
        )
        for name, builder in (
            ("carriers:project_move", a_project),
            ("carriers:milestone_add", a_project),
            ("carriers:milestone_done", a_milestone),
        )
    ],
    Route("carriers:alliances"),
    Route("carriers:alliance", kwargs=an_alliance),
    Route(
        "carriers:alliance_edit",
        kwargs=an_alliance,
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
        operator=OK,
    ),
    Route(
        "carriers:member_add",
        kwargs=an_alliance,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
        operator=OK,
    ),
    Route(
        "carriers:member_leave",
        kwargs=a_member,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
        operator=OK,
    ),
    Route("carriers:cases"),
    Route("carriers:case", kwargs=a_case),
    Route("carriers:case", kwargs=a_draft_case, default=HIDE, **STAFF),
    Route("pick", kwargs=lambda cast: {"kind": "carriers"}, query="q=示范", anonymous=LOGIN),
    Route("pick", kwargs=lambda cast: {"kind": "contracts"}, query="q=合同", anonymous=LOGIN),
    Route("pick", kwargs=lambda cast: {"kind": "case-contract"}, query="q=合同", anonymous=LOGIN),
    # ---- console
    *[
        Route(name, kwargs=builder, anonymous=LOGIN, default=DENY, **CONSOLE)
        for name, builder in (
            ("carriers_console:home", None),
            ("carriers_console:carrier", a_carrier),
            ("carriers_console:reports", None),
            ("carriers_console:report", a_report),
            ("carriers_console:formulas", None),
            ("carriers_console:formula", a_formula),
            ("carriers_console:designations", None),
            ("carriers_console:rd_input", None),
            ("carriers_console:stats", None),
            ("carriers_console:stats_xlsx", None),
        )
    ],
    Route(
        "carriers_console:carrier", kwargs=a_carrier, method="POST", anonymous=LOGIN, default=DENY, **STAFF
    ),
    Route("carriers_console:report", kwargs=a_report, method="POST", anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "carriers_console:formula",
        kwargs=a_formula,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route("carriers_console:formula_create", anonymous=LOGIN, default=DENY, operator=OK),
    Route("carriers_console:designation_create", anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "carriers_console:designation_revoke",
        kwargs=a_designation,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
    Route("carriers_console:alliance_create", anonymous=LOGIN, default=DENY, operator=OK),
    Route(
        "carriers_console:alliance_status",
        kwargs=an_alliance,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route("carriers_console:cases", anonymous=LOGIN, default=DENY, **STAFF),
    Route("carriers_console:case_create", anonymous=LOGIN, default=DENY, **STAFF),
    Route("carriers_console:case", kwargs=a_draft_case, anonymous=LOGIN, default=DENY, **STAFF),
    # ---- API
    Route("api:carrier-list"),
    Route(
        "api:carrier-list",
        method="POST",
        anonymous=LOGIN,
        default=BAD,
        reviewer=DENY,
        official=DENY,
        outsider=DENY,
        note="an empty body is refused",
    ),
    Route("api:carrier-detail", kwargs=a_carrier),
    Route("api:carrier-detail", kwargs=_draft, default=HIDE, **UNIVERSITY, **CONSOLE),
    Route(
        "api:carrier-detail",
        kwargs=_draft,
        method="PATCH",
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    Route(
        "api:carrier-submit",
        kwargs=_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    Route(
        "api:carrier-approve",
        kwargs=_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=DENY,
        univ_admin=DENY,
        official=DENY,
        reviewer=BAD,
        operator=BAD,
        note="a draft cannot be approved: reviewers get the refusal, not a permission error",
    ),
    *[
        Route(
            name,
            kwargs=a_carrier,
            method="POST",
            anonymous=LOGIN,
            default=DENY,
            reviewer=BAD,
            operator=BAD,
            note="reviewers only; an empty body lacks the reason",
        )
        for name in ("api:carrier-reject", "api:carrier-revoke")
    ],
    Route("api:carrier-firms", kwargs=a_carrier, anonymous=LOGIN, default=DENY, **UNIVERSITY, **CONSOLE),
    *[
        Route(
            name,
            kwargs=builder,
            method="POST",
            anonymous=LOGIN,
            default=DENY,
            researcher=BAD,
            univ_admin=BAD,
            operator=BAD,
        )
        for name, builder in (
            ("api:carrier-firms", a_carrier),
            (
                "api:carrier-close-firm",
                lambda cast: {"pk": incubated_firm(cast).carrier_id, "firm_pk": incubated_firm(cast).pk},
            ),
        )
    ],
    Route("api:carrier-report-list", anonymous=LOGIN),
    Route("api:carrier-report-list", method="POST", anonymous=LOGIN, default=BAD),
    Route(
        "api:carrier-report-detail", kwargs=a_report, anonymous=LOGIN, default=HIDE, **UNIVERSITY, **CONSOLE
    ),
    Route(
        "api:carrier-report-detail",
        kwargs=a_report,
        method="PATCH",
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        reviewer=DENY,
        official=DENY,
    ),
    Route(
        "api:carrier-report-submit",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=BAD,
        univ_admin=BAD,
        operator=BAD,
        reviewer=DENY,
        official=DENY,
        note="managers get the refusal: the indicators are missing",
    ),
    *[
        Route(
            name,
            kwargs=a_report,
            method="POST",
            anonymous=LOGIN,
            default=HIDE,
            researcher=DENY,
            univ_admin=DENY,
            official=DENY,
            reviewer=BAD,
            operator=BAD,
            note="reviewers only; a draft cannot be accepted, returned or evaluated",
        )
        for name in ("api:carrier-report-accept", "api:carrier-report-return", "api:carrier-report-evaluate")
    ],
    Route("api:carrier-formula-list"),
    Route("api:carrier-formula-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:carrier-formula-detail", kwargs=a_formula),
    Route(
        "api:carrier-formula-activate",
        kwargs=a_formula,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
        note="the formula in use cannot be put into use again",
    ),
    Route("api:carrier-case-list"),
    Route("api:carrier-case-list", method="POST", anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD),
    Route("api:carrier-case-detail", kwargs=a_case),
    Route("api:carrier-case-detail", kwargs=a_draft_case, default=HIDE, **STAFF),
    Route("api:carrier-case-detail", kwargs=a_case, method="PATCH", anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "api:carrier-case-publish", kwargs=a_draft_case, method="POST", anonymous=LOGIN, default=HIDE, **STAFF
    ),
    Route("api:carrier-case-withdraw", kwargs=a_case, method="POST", anonymous=LOGIN, default=DENY, **STAFF),
    Route("api:carrier-stats"),
    Route("api:designation-list"),
    Route("api:designation-list", method="POST", anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD),
    Route("api:designation-detail", kwargs=a_designation),
    Route(
        "api:designation-revoke",
        kwargs=a_designation,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route("api:rd-input-list", anonymous=LOGIN),
    Route("api:rd-input-list", method="POST", anonymous=LOGIN, default=DENY),
    Route("api:project-list", anonymous=LOGIN),
    Route(
        "api:project-list",
        method="POST",
        anonymous=LOGIN,
        default=BAD,
        reviewer=DENY,
        official=DENY,
        outsider=DENY,
    ),
    Route(
        "api:project-detail",
        kwargs=a_project,
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        buyer=OK,
        **CONSOLE,
    ),
    *[
        Route(
            name,
            kwargs=a_project,
            method="PATCH" if name == "api:project-detail" else "POST",
            anonymous=LOGIN,
            default=HIDE,
            researcher=want,
            univ_admin=want,
            operator=want,
            buyer=DENY,
            reviewer=DENY,
            official=DENY,
        )
        for name, want in (
            ("api:project-detail", OK),
            ("api:project-move", BAD),
            ("api:project-milestones", BAD),
        )
    ],
    Route(
        "api:project-milestone-done",
        kwargs=lambda cast: {
            "pk": project_milestone(cast).project_id,
            "milestone_pk": project_milestone(cast).pk,
        },
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **UNIVERSITY,
        operator=OK,
        buyer=DENY,
        reviewer=DENY,
        official=DENY,
    ),
    Route("api:alliance-list"),
    Route("api:alliance-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:alliance-detail", kwargs=an_alliance),
    Route(
        "api:alliance-detail",
        kwargs=an_alliance,
        method="PATCH",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
        operator=OK,
    ),
    Route(
        "api:alliance-members",
        kwargs=an_alliance,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=BAD,
        operator=BAD,
    ),
    Route(
        "api:alliance-member-leave",
        kwargs=lambda cast: {"pk": alliance_member(cast).alliance_id, "member_pk": alliance_member(cast).pk},
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
        operator=OK,
    ),
]
