"""The docket: deadlines computed from the filing date and office actions, reminders, annual fees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from techbridge.core.models import Notification
from techbridge.tto import rules, services
from techbridge.tto.models import PatentApplication


def test_deadline_rules():
    filed = dt.date(2024, 1, 31)
    assert rules.priority_deadline("invention", filed) == dt.date(2025, 1, 31)
    assert rules.priority_deadline("design", filed) == dt.date(2024, 7, 31)
    assert rules.examination_deadline(filed) == dt.date(2027, 1, 31)
    # sent 10 Jan → presumed received 25 Jan → 4 months for a first opinion, 2 for a further one
    assert rules.response_deadline("first", dt.date(2024, 1, 10)) == dt.date(2024, 5, 25)
    assert rules.response_deadline("further", dt.date(2024, 1, 10)) == dt.date(2024, 3, 25)
    assert rules.add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert rules.next_annuity(
        "invention", dt.date(2021, 3, 1), dt.date(2023, 5, 9), dt.date(2026, 12, 6)
    ) == (7, dt.date(2027, 3, 1))


def test_filing_computes_the_deadlines_never_typed(cast, protected):
    today = dt.date.today()
    filed = today - dt.timedelta(days=40)
    app = services.file_application(
        protected,
        actor=cast.univ_admin,
        data={
            "kind": "invention",
            "application_number": "CN202410123456.7",
            "filing_date": filed.isoformat(),
            "next_deadline": "2099-01-01",
        },
    )
    assert app.next_deadline == rules.priority_deadline("invention", filed)
    labels = [str(d.label) for d in services.deadlines(app)]
    assert len(labels) == 2  # priority and the examination request
    action = services.record_office_action(app, actor=cast.univ_admin, kind="first", issued_on=today)
    assert action.response_due == rules.response_deadline("first", today)
    app.refresh_from_db()
    assert app.next_deadline == min(action.response_due, rules.priority_deadline("invention", filed))


def test_bad_application_number_and_future_date_are_refused(cast, protected):
    with pytest.raises(ValidationError) as exc:
        services.file_application(
            protected,
            actor=cast.univ_admin,
            data={"application_number": "12345", "filing_date": "2024-01-01"},
        )
    assert "CN202410123456.7" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.file_application(
            protected,
            actor=cast.univ_admin,
            data={"application_number": "CN202410123456.7", "filing_date": "2099-01-01"},
        )
    assert not PatentApplication.objects.exists()


def test_reminders_through_the_daily_sweep_once(cast, protected):
    from techbridge.core import registry

    assert services.remind_deadlines in list(registry.sweeps)
    today = dt.date.today()
    app = services.file_application(
        protected,
        actor=cast.univ_admin,
        data={
            "application_number": "CN202410123456.7",
            "filing_date": (today - dt.timedelta(days=300)).isoformat(),
        },
    )
    services.record_office_action(
        app, actor=cast.univ_admin, kind="further", issued_on=today - dt.timedelta(days=60)
    )
    assert services.remind_deadlines() == 1
    assert services.remind_deadlines() == 0
    note = Notification.objects.get(recipient=cast.univ_admin, kind="tto", title__contains="CN202410123456")
    assert note.link == f"/tto/cases/{protected.pk}/"


def test_annuity_keep_and_abandon_with_portfolio_cost(cast, granted, client):
    item = services.decide_annuity(granted, actor=cast.univ_admin, decision="keep", fee="1200")
    assert item.patent_year >= 2 and item.fee == Decimal("1200.00")
    costs = dict(services.portfolio_costs(cast.university.pk))
    assert costs[2021] == Decimal("9450.00")
    assert costs[item.due_on.year] >= Decimal("1200.00")
    with pytest.raises(ValidationError):
        services.decide_annuity(granted, actor=cast.univ_admin, decision="abandon")
    client.force_login(cast.univ_admin)
    page = client.get(reverse("tto:home")).content.decode()
    assert "9450.00" in page


def test_abandoning_lets_the_patent_go(cast, granted):
    services.decide_annuity(granted, actor=cast.univ_admin, decision="abandon", reasons="无实施前景")
    granted.refresh_from_db()
    assert granted.status == "abandoned"
