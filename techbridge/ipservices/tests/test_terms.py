"""Patent terms by rule, remaining term and legal force, and patent numbers in one spelling."""

from __future__ import annotations

import datetime as dt

import pytest

from techbridge.ipservices import queries, terms
from techbridge.ipservices.choices import LegalStatus
from techbridge.lib.patents import normalise_patent_number, split_patent_numbers
from techbridge.testing.factories.ipservices import PatentFactory


@pytest.mark.parametrize(
    ("kind", "filed", "adjust", "last_day"),
    [
        # The Guidelines' own example: filed 1999-09-07, term to 2019-09-06.
        ("invention", dt.date(1999, 9, 7), 0, dt.date(2019, 9, 6)),
        ("utility_model", dt.date(2022, 12, 2), 0, dt.date(2032, 12, 1)),
        ("design", dt.date(2021, 5, 31), 0, dt.date(2031, 5, 30)),  # before 2021-06-01: 10 years
        ("design", dt.date(2021, 6, 1), 0, dt.date(2036, 5, 31)),  # from 2021-06-01: 15 years
        ("invention", dt.date(2020, 2, 29), 0, dt.date(2040, 2, 28)),
        ("utility_model", dt.date(2020, 2, 29), 0, dt.date(2030, 2, 28)),
        ("invention", dt.date(2021, 7, 1), 120, dt.date(2041, 6, 30) + dt.timedelta(days=120)),
        (
            "utility_model",
            dt.date(2021, 7, 1),
            120,
            dt.date(2031, 6, 30),
        ),  # adjustment is for inventions only
    ],
)
def test_expiry_by_rule(kind, filed, adjust, last_day):
    assert terms.expiry_date(kind, filed, adjust) == last_day


def test_unknown_filing_date_has_no_expiry():
    assert terms.expiry_date("invention", None) is None


@pytest.mark.django_db
def test_stored_expiry_follows_the_rule_on_every_save():
    patent = PatentFactory(kind="invention", filing_date=dt.date(2010, 1, 15))
    assert patent.expiry_date == dt.date(2030, 1, 14)
    patent.term_adjustment_days = 30
    patent.save(update_fields=["term_adjustment_days"])
    patent.refresh_from_db()
    assert patent.expiry_date == dt.date(2030, 2, 13)


@pytest.mark.django_db
def test_remaining_term_and_force():
    patent = PatentFactory(
        kind="utility_model", filing_date=dt.date(2020, 1, 10), grant_date=dt.date(2020, 8, 1)
    )
    assert patent.expiry_date == dt.date(2030, 1, 9)
    assert queries.is_in_force(patent, dt.date(2025, 1, 1))
    assert queries.remaining_term(patent, on=dt.date(2030, 1, 9)) == 1
    assert queries.remaining_term(patent, on=dt.date(2030, 1, 10)) == 0
    assert not queries.is_in_force(patent, dt.date(2020, 7, 31))  # not yet granted
    assert queries.remaining_term(patent, on=dt.date(2020, 7, 31)) == 0


@pytest.mark.django_db
def test_a_lapsed_patent_was_in_force_until_it_lapsed():
    patent = PatentFactory(
        legal_status=LegalStatus.LAPSED, grant_date=dt.date(2021, 1, 1), status_date=dt.date(2023, 3, 1)
    )
    assert queries.is_in_force(patent, dt.date(2022, 12, 31))
    assert not queries.is_in_force(patent, dt.date(2023, 3, 1))
    undated = PatentFactory(legal_status=LegalStatus.LAPSED, status_date=None)
    assert not queries.is_in_force(undated, dt.date(2022, 1, 1))


@pytest.mark.django_db
def test_in_force_filter_agrees_with_the_function():
    from techbridge.ipservices.models import Patent

    day = dt.date(2024, 6, 30)
    PatentFactory(legal_status=LegalStatus.PENDING, grant_date=None)
    PatentFactory(legal_status=LegalStatus.GRANTED)
    PatentFactory(legal_status=LegalStatus.GRANTED, grant_date=dt.date(2025, 1, 1))
    PatentFactory(legal_status=LegalStatus.EXPIRED, filing_date=dt.date(2004, 1, 1))
    PatentFactory(
        legal_status=LegalStatus.LAPSED, grant_date=dt.date(2021, 1, 1), status_date=dt.date(2024, 7, 1)
    )
    PatentFactory(
        legal_status=LegalStatus.INVALIDATED, grant_date=dt.date(2021, 1, 1), status_date=dt.date(2024, 1, 1)
    )
    by_function = {p.pk for p in Patent.objects.all() if queries.is_in_force(p, day)}
    by_filter = set(Patent.objects.filter(queries.in_force_q(day)).values_list("pk", flat=True))
    assert by_function == by_filter and len(by_filter) == 2


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("ZL 2022 2322 0665 2", "CN202223220665.2"),
        ("cn218751475u", "CN218751475U"),
        ("202121635235X", "CN202121635235.X"),
        ("ＣＮ２０２１２１６３５２３５．Ｘ", "CN202121635235.X"),
    ],
)
def test_patent_numbers_have_one_spelling(raw, number):
    assert normalise_patent_number(raw) == number


@pytest.mark.django_db
def test_patent_by_number_takes_any_spelling():
    patent = PatentFactory(application_number="CN202223220665.2", publication_number="CN218751475U")
    assert queries.patent_by_number("ZL2022232206652") == patent
    assert queries.patent_by_number("cn218751475u") == patent
    assert queries.patent_by_number("CN000000000000.0") is None
    assert split_patent_numbers("CN218751475U；ZL202223220665.2、不是号码") == [
        "CN218751475U",
        "CN202223220665.2",
    ]
