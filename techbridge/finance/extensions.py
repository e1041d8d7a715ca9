"""What technology finance adds to the shared pages: menus, the console counter, "my work", audit words,
the matching corpora and the metrics the governance dashboards read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in
from techbridge.core.registry import Metric
from techbridge.core.roles import is_console_user, is_operator

AUDIT_LABELS = {
    "finance.investor.created": _("Investor profile registered"),
    "finance.investor.updated": _("Investor profile changed"),
    "finance.investor.qualified": _("Investor qualified"),
    "finance.investor.rejected": _("Investor not qualified"),
    "finance.product.created": _("Financial product added"),
    "finance.financingrequest.posted": _("Financing request posted"),
    "finance.financingrequest.withdrawn": _("Financing request withdrawn"),
    "finance.financingrequest.reopened": _("Financing request reopened"),
    "finance.financingrequest.nda_accepted": _("Confidentiality agreement accepted by an investor"),
    "finance.financingrequest.funded": _("Financing request funded"),
    "finance.introduction.proposed": _("Introduction asked"),
    "finance.introduction.accepted": _("Introduction accepted by both sides"),
    "finance.introduction.meeting_held": _("Meeting held"),
    "finance.introduction.term_sheet_signed": _("Term sheet signed"),
    "finance.introduction.invested": _("Investment made"),
    "finance.introduction.lent": _("Loan granted"),
    "finance.introduction.declined": _("Introduction declined"),
    "finance.loanapplication.submitted": _("IP-pledge loan applied for"),
    "finance.loanapplication.approved": _("Loan approved by the bank"),
    "finance.loanapplication.refused": _("Loan refused by the bank"),
    "finance.loanapplication.pledge_registered": _("Patent pledge registered"),
    "finance.loanapplication.repayment_recorded": _("Repayment recorded"),
    "finance.loanapplication.repaid": _("Loan repaid"),
    "finance.fund.created": _("Fund set up"),
    "finance.fundcall.opened": _("Call for applications opened"),
    "finance.fundcall.closed": _("Call for applications closed"),
    "finance.fundapplication.submitted": _("Fund application submitted (eligible)"),
    "finance.fundapplication.found_ineligible": _("Fund application submitted (not eligible)"),
    "finance.fundapplication.panel_drawn": _("Expert panel drawn"),
    "finance.fundapplication.scored": _("Expert score given"),
    "finance.fundapplication.awarded": _("Fund award decided"),
    "finance.fundapplication.rejected": _("Fund application not awarded"),
    "finance.fundapplication.tranche_disbursed": _("Tranche disbursed against its milestone"),
}


def _pending_investors() -> int:
    from .choices import InvestorStatus
    from .models import Investor

    return Investor.objects.filter(status=InvestorStatus.SUBMITTED).count()


def _mine(request: HttpRequest) -> dict[str, Any] | None:
    from .choices import IntroStatus
    from .models import Introduction
    from .permissions import in_org

    user: Any = request.user
    if (
        not signed_in(user)
        or not getattr(user, "organization_id", None)
        or not in_org(user, user.organization_id)
    ):
        return None
    from django.db.models import Q

    rows = list(
        Introduction.objects.filter(
            Q(request__organization_id=user.organization_id)
            | Q(investor__organization_id=user.organization_id)
        )
        .exclude(status__in=[IntroStatus.INVESTED, IntroStatus.LENT, IntroStatus.DECLINED])
        .select_related("request", "investor")
        .order_by("-updated_at")[:10]
    )
    return {"finance_introductions": rows} if rows else None


def register() -> None:
    from . import matching, stats

    registry.register_nav("portal", _("Technology finance"), "finance:home", group="services", order=40)
    registry.register_nav(
        "portal", _("My financing"), "finance:mine", group="work", order=60, visible=signed_in
    )
    registry.register_nav(
        "console",
        _("Investors"),
        "finance_console:investors",
        group="console.review",
        order=60,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Funds and calls"),
        "finance_console:funds",
        group="console.services",
        order=60,
        visible=is_console_user,
    )
    registry.register_counter(
        "finance.pending_investors",
        _("Investors awaiting qualification"),
        _pending_investors,
        visible=is_operator,
        url_name="finance_console:investors",
        attention=True,
        order=70,
    )
    registry.register_mine_section("finance/partials/mine.html", order=55, context=_mine)
    registry.register_audit_labels(AUDIT_LABELS)
    matching.register()
    from techbridge.talent import panels

    from .funding import open_seats

    panels.register_workload("finance", open_seats)
    registry.register_metric(
        Metric(
            "finance.capital_raised",
            _("Capital raised through the platform"),
            _("yuan"),
            compute=stats.capital_raised,
            description=_(
                "Equity invested and loans granted after an introduction on the platform, by closing date."
            ),
            order=70,
            by_place=stats.by_place,
        )
    )
    registry.register_metric(
        Metric(
            "finance.financings",
            _("Financings closed through the platform"),
            _("financings"),
            compute=stats.financing_count,
            description=_("Introductions that reached invested or lent in the period."),
            order=71,
            by_place=stats.count_by_place,
        )
    )
    registry.register_metric(
        Metric(
            "finance.days_to_funding",
            _("Median days from request to funding"),
            _("days"),
            compute=stats.days_to_funding,
            description=_(
                "Median days from posting a financing request to its first financing, closed in the period."
            ),
            order=72,
        )
    )
