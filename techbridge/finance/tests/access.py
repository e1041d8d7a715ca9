"""Who may open the pages and endpoints of technology finance (see techbridge.testing.access).

The records: the service institution's qualified conversion fund (the broker is its person) and a
second profile of it awaiting qualification; the enterprise's open financing request with a business
plan (the buyer posted it; no investor has accepted its NDA); the introduction of the two, asked by the
enterprise and awaiting the investor's consent.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.factories.finance import make_introduction, make_investor, make_request
from techbridge.testing.fixtures.records import pk_of, shared

CONSOLE = outcomes(reviewer=OK, operator=OK, official=OK)
CONSOLE_DENIED = outcomes(reviewer=DENY, operator=DENY, official=DENY)
REQUESTERS = outcomes(researcher=OK, univ_admin=OK, buyer=OK, stranger=OK)


@shared
def finance_investor(cast):
    return make_investor(cast, name="示范转化基金")


@shared
def finance_pending_investor(cast):
    return make_investor(cast, name="示范天使投资", status="submitted")


@shared
def finance_request(cast):
    return make_request(cast, business_plan=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"))


@shared
def finance_introduction(cast):
    return make_introduction(cast, request=finance_request(cast), investor=finance_investor(cast))


@shared
def finance_loan(cast):
    """The enterprise's IP-pledge loan application to the service institution's bank product."""
    from decimal import Decimal

    from techbridge.finance.choices import Instrument, InvestorKind
    from techbridge.finance.models import LoanApplication
    from techbridge.testing.factories.finance import ProductFactory
    from techbridge.testing.factories.ipservices import PatentFactory

    bank = make_investor(
        cast, name="示范银行科技支行", kind=InvestorKind.BANK, instruments=[Instrument.IP_LOAN]
    )
    product = ProductFactory(investor=bank, name="知识产权质押贷", instrument=Instrument.IP_LOAN)
    loan = LoanApplication.objects.create(
        organization=cast.enterprise,
        created_by=cast.buyer,
        product=product,
        amount=Decimal("2000000"),
        term_months=12,
        purpose="扩充产能",
    )
    loan.patents.set([PatentFactory(applicant_org=cast.enterprise)])
    return loan


@shared
def finance_call(cast):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from techbridge.finance.models import Fund, FundCall

    fund = Fund.objects.create(
        name="示范成果转化基金",
        sponsor=cast.service,
        size=Decimal("100000000"),
        rules="分期拨付",
        created_by=cast.operator,
    )
    return FundCall.objects.create(
        fund=fund,
        title="示范成果转化项目征集",
        summary="支持成果转化",
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        max_award=Decimal("3000000"),
        panel_size=1,
        created_by=cast.operator,
    )


@shared
def finance_fund_application(cast):
    """The enterprise's application under review; the stranger (另一大学) is the expert on its panel."""
    from decimal import Decimal

    from techbridge.finance.models import FundApplication, PanelSeat
    from techbridge.testing.factories.talent import ExpertFactory

    app = FundApplication.objects.create(
        call=finance_call(cast),
        organization=cast.enterprise,
        created_by=cast.buyer,
        title="功率芯片成果转化",
        summary="中试",
        amount=Decimal("2000000"),
        status="in_review",
    )
    PanelSeat.objects.create(application=app, expert=ExpertFactory(user=cast.stranger, fields=("ic",)))
    return app


a_loan = pk_of(finance_loan)
a_call = pk_of(finance_call)
a_fund_application = pk_of(finance_fund_application)
OPERATOR = outcomes(operator=OK)
an_investor = pk_of(finance_investor)
a_pending_investor = pk_of(finance_pending_investor)
a_request = pk_of(finance_request)
an_introduction = pk_of(finance_introduction)


def a_request_introduced(cast):
    finance_introduction(cast)
    return {"pk": finance_request(cast).pk}


ROUTES = [
    Route("finance:home"),
    Route("finance:mine", anonymous=LOGIN),
    Route("finance:investor_create", anonymous=LOGIN, default=DENY, broker=OK),
    Route("finance:investor_create", method="POST", anonymous=LOGIN, default=DENY, broker=OK),
    Route("finance:investor", kwargs=an_investor),
    Route("finance:investor", kwargs=a_pending_investor, default=HIDE, broker=OK, **CONSOLE),
    Route("finance:product_create", kwargs=an_investor, anonymous=LOGIN, default=DENY, broker=OK),
    Route(
        "finance:product_create", kwargs=an_investor, method="POST", anonymous=LOGIN, default=DENY, broker=OK
    ),
    Route("finance:investor_matches", kwargs=an_investor, anonymous=LOGIN, default=DENY, broker=OK),
    Route("finance:requests", anonymous=LOGIN),
    Route("finance:request_create", anonymous=LOGIN, default=DENY, **REQUESTERS),
    Route("finance:request_create", method="POST", anonymous=LOGIN, default=DENY, **REQUESTERS),
    Route("finance:request", kwargs=a_request, anonymous=LOGIN, default=HIDE, buyer=OK, broker=OK, **CONSOLE),
    Route(
        "finance:plan",
        kwargs=a_request,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=DENY,
        note="the broker's investor has not accepted the NDA",
        **CONSOLE_DENIED,
    ),
    Route(
        "finance:nda",
        kwargs=a_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        broker=OK,
        **CONSOLE_DENIED,
    ),
    Route(
        "finance:withdraw",
        kwargs=a_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=DENY,
        **CONSOLE_DENIED,
    ),
    Route(
        "finance:introduce",
        kwargs=a_request_introduced,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        note="refusals (no investor named, already introduced) come back as a message",
        **CONSOLE_DENIED,
    ),
    Route(
        "finance:introduction",
        kwargs=an_introduction,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        **CONSOLE,
    ),
    Route(
        "finance:consent",
        kwargs=an_introduction,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        note="the enterprise, which asked, is told the investor must consent",
        **CONSOLE_DENIED,
    ),
    Route(
        "finance:advance",
        kwargs=an_introduction,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        **CONSOLE_DENIED,
    ),
    # ---- console
    Route("finance_console:investors", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route(
        "finance_console:qualify",
        kwargs=a_pending_investor,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route(
        "finance_console:reject",
        kwargs=a_pending_investor,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route("finance_console:stats", anonymous=LOGIN, default=DENY, **CONSOLE),
    # ---- API
    Route("api:finance-investor-list"),
    Route("api:finance-investor-list", method="POST", anonymous=LOGIN, default=DENY, broker=BAD),
    Route("api:finance-investor-detail", kwargs=an_investor),
    Route("api:finance-investor-detail", kwargs=a_pending_investor, default=HIDE, broker=OK, **CONSOLE),
    Route(
        "api:finance-investor-qualify",
        kwargs=a_pending_investor,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route(
        "api:finance-investor-reject",
        kwargs=a_pending_investor,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    Route(
        "api:finance-investor-products",
        kwargs=an_investor,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        broker=BAD,
    ),
    Route("api:finance-investor-matches", kwargs=an_investor, anonymous=LOGIN, default=DENY, broker=OK),
    Route("api:finance-request-list", anonymous=LOGIN),
    Route(
        "api:finance-request-list",
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        researcher=BAD,
        univ_admin=BAD,
        buyer=BAD,
        stranger=BAD,
    ),
    Route(
        "api:finance-request-detail",
        kwargs=a_request,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        **CONSOLE,
    ),
    Route(
        "api:finance-request-matches",
        kwargs=a_request,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=DENY,
        **CONSOLE_DENIED,
    ),
    Route(
        "api:finance-request-nda",
        kwargs=a_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        broker=OK,
        **CONSOLE_DENIED,
    ),
    Route(
        "api:finance-request-plan",
        kwargs=a_request,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=DENY,
        **CONSOLE_DENIED,
    ),
    Route(
        "api:finance-request-withdraw",
        kwargs=a_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=DENY,
        **CONSOLE_DENIED,
    ),
    Route(
        "api:finance-request-introduce",
        kwargs=a_request_introduced,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        broker=BAD,
        note="no investor named / already introduced",
        **CONSOLE_DENIED,
    ),
    Route("api:finance-introduction-list", anonymous=LOGIN),
    Route(
        "api:finance-introduction-detail",
        kwargs=an_introduction,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        **CONSOLE,
    ),
    Route(
        "api:finance-introduction-consent",
        kwargs=an_introduction,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        broker=OK,
        **CONSOLE_DENIED,
    ),
    Route(
        "api:finance-introduction-advance",
        kwargs=an_introduction,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        broker=BAD,
        **CONSOLE_DENIED,
    ),
    Route("api:finance-stats", anonymous=LOGIN, default=DENY, **CONSOLE),
    # ---- IP-pledge loans
    Route("finance:loans", anonymous=LOGIN),
    Route("finance:loan_apply", anonymous=LOGIN, default=DENY, **REQUESTERS),
    Route("finance:loan_apply", method="POST", anonymous=LOGIN, default=DENY, **REQUESTERS),
    Route("finance:loan", kwargs=a_loan, anonymous=LOGIN, default=HIDE, buyer=OK, broker=OK, **CONSOLE),
    *[
        Route(
            f"finance:loan_{verb}",
            kwargs=a_loan,
            method="POST",
            anonymous=LOGIN,
            default=HIDE,
            buyer=DENY,
            broker=OK,
            note="the bank (the broker's organisation offers the product)",
            **CONSOLE_DENIED,
        )
        for verb in ("decide", "register", "repay")
    ],
    # ---- funds
    Route("finance:calls"),
    Route("finance:call", kwargs=a_call),
    Route("finance:call_apply", kwargs=a_call, method="POST", anonymous=LOGIN, default=DENY, **REQUESTERS),
    Route(
        "finance:fund_application",
        kwargs=a_fund_application,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        stranger=OK,
        note="the applicant, the panel's expert and console users",
        **CONSOLE,
    ),
    Route(
        "finance:fund_score",
        kwargs=a_fund_application,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        stranger=OK,
        **CONSOLE_DENIED,
    ),
    Route("finance_console:funds", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("finance_console:funds", method="POST", anonymous=LOGIN, default=DENY, **OPERATOR),
    Route("finance_console:call_create", method="POST", anonymous=LOGIN, default=DENY, **OPERATOR),
    *[
        Route(
            f"finance_console:fund_{verb}",
            kwargs=a_fund_application,
            method="POST",
            anonymous=LOGIN,
            default=DENY,
            **OPERATOR,
        )
        for verb in ("panel", "decide", "disburse")
    ],
    Route("api:finance-fund-list"),
    Route("api:finance-fund-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:finance-call-list"),
    Route("api:finance-call-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:finance-call-detail", kwargs=a_call),
    Route(
        "api:finance-call-apply",
        kwargs=a_call,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **outcomes(researcher=BAD, univ_admin=BAD, buyer=BAD, stranger=BAD),
    ),
    Route("api:finance-fund-application-list", anonymous=LOGIN),
    Route(
        "api:finance-fund-application-detail",
        kwargs=a_fund_application,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        stranger=OK,
        **CONSOLE,
    ),
    *[
        Route(
            f"api:finance-fund-application-{verb}",
            kwargs=a_fund_application,
            method="POST",
            anonymous=LOGIN,
            default=DENY,
            operator=BAD,
        )
        for verb in ("panel", "decide", "disburse")
    ],
    Route(
        "api:finance-fund-application-score",
        kwargs=a_fund_application,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        stranger=BAD,
        **CONSOLE_DENIED,
    ),
    Route("api:finance-loan-list", anonymous=LOGIN),
    Route(
        "api:finance-loan-list",
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **outcomes(researcher=BAD, univ_admin=BAD, buyer=BAD, stranger=BAD),
    ),
    Route(
        "api:finance-loan-detail",
        kwargs=a_loan,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        broker=OK,
        **CONSOLE,
    ),
    *[
        Route(
            f"api:finance-loan-{verb}",
            kwargs=a_loan,
            method="POST",
            anonymous=LOGIN,
            default=HIDE,
            buyer=DENY,
            broker=BAD,
            **CONSOLE_DENIED,
        )
        for verb in ("decide", "register", "repay")
    ],
]
