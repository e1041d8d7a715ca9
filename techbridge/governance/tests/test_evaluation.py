"""The evaluation of universities and institutes shows every input, its source and weight; the formula is
versioned data; figures without a records source are entered with evidence and accepted by staff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from techbridge.governance import evaluation
from techbridge.governance.choices import FigureStatus
from techbridge.governance.models import EvaluationFormula
from techbridge.governance.services import evaluation as services
from techbridge.organizations.choices import District, OrgKind
from techbridge.testing.factories.governance import (
    make_dated_achievement,
    make_dated_contract,
    make_dated_room,
    make_org,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


def day(month: int, d: int = 1) -> dt.date:
    return dt.date(YEAR, month, d)


@pytest.fixture
def records(cast):
    """示范大学 (the cast's university) trades more than 另一大学; an institute has nothing yet."""
    buyer = cast.enterprise
    a = make_dated_achievement(cast.university, day(1))
    make_dated_achievement(cast.university, day(2))
    make_dated_achievement(cast.other_university, day(3))
    for amount in ("100", "200", "300"):
        make_dated_contract(cast.university, buyer, amount, day(6), achievement=a, signed=day(1, 21))
    make_dated_contract(cast.other_university, buyer, "900", day(6), contract_type="license")
    make_dated_room(cast.university, buyer, day(4))
    return {"institute": make_org("某研究所", OrgKind.INSTITUTE, District.XUANWU)}


def test_the_ranking_shows_every_input_with_its_normalised_value(cast, records):
    ranking = evaluation.evaluate(YEAR)
    assert ranking.formula.version == 1
    assert [i["code"] for i in ranking.inputs] == [i.code for i in evaluation.INPUTS]
    rows = {r.organization.pk: r for r in ranking.rows}
    assert set(rows) == {cast.university.pk, cast.other_university.pk, records["institute"].pk}
    u, other = rows[cast.university.pk], rows[cast.other_university.pk]
    assert u.values["achievements_published"].value == 2 and other.values["achievements_published"].value == 1
    assert u.values["achievements_published"].norm == Decimal("1")
    assert other.values["achievements_published"].norm == Decimal("0.5")
    assert u.values["contracts_registered"].value == 3 and u.values["turnover"].value == Decimal("600")
    assert other.values["turnover"].withheld and other.values["turnover"].count == 1  # 1 contract: count only
    assert other.values["licensing_income"].value == Decimal("900")
    assert u.values["days_to_contract"].value == Decimal("20.0")
    assert u.values["spinoffs"].value is None  # no accepted figure
    assert other.values["rooms_opened"].value == 0  # a count: no room is 0 rooms, not "no data"
    assert other.values["days_to_contract"].value is None  # a median of nothing is no data
    assert rows[records["institute"].pk].score == Decimal("0.00")
    assert u.rank == 1 and u.score > other.score
    # with equal weights the score is 100 × mean of the normalised values of the weighted inputs (an input
    # added after the formula, such as the inventors' rewards, weighs nothing until a new version weighs it)
    weighted = [code for code, w in ranking.formula.weights.items() if Decimal(str(w))]
    expected = (Decimal("100") * sum(u.values[c].norm for c in weighted) / len(weighted)).quantize(
        Decimal("0.01")
    )
    assert u.score == expected


def test_a_new_formula_version_changes_the_ranking_and_keeps_the_old_one(cast, records):
    weights = {code: "0" for code in evaluation.BY_CODE}
    weights["licensing_income"] = "1"
    with pytest.raises(PermissionDenied):
        services.create_formula(actor=cast.reviewer, weights=weights, note="只看许可收入")
    with pytest.raises(ValidationError):
        services.create_formula(actor=cast.operator, weights={"unknown": 1}, note="x")
    with pytest.raises(ValidationError):
        services.create_formula(actor=cast.operator, weights={c: 0 for c in evaluation.BY_CODE}, note="x")
    formula = services.create_formula(actor=cast.operator, weights=weights, note="只看许可收入")
    assert formula.version == 2 and EvaluationFormula.objects.count() == 2
    ranking = evaluation.evaluate(YEAR)
    assert ranking.formula == formula and ranking.rows[0].organization == cast.other_university
    with pytest.raises(ValueError):
        formula.save()  # versions are never changed


def test_spin_offs_are_entered_with_evidence_and_count_once_accepted(cast, records, client):
    with pytest.raises(PermissionDenied):
        services.submit_figure(
            cast.university,
            actor=cast.researcher,
            year=YEAR,
            input="spinoffs",
            value=Decimal("2"),
            evidence="x",
        )
    with pytest.raises(ValidationError):
        services.submit_figure(
            cast.university,
            actor=cast.univ_admin,
            year=YEAR,
            input="turnover",
            value=Decimal("2"),
            evidence="x",
        )
    client.force_login(cast.univ_admin)
    client.post(
        reverse("governance:university"),
        {"year": YEAR, "input": "spinoffs", "value": "2", "evidence": "工商登记：两家衍生企业"},
    )
    figure = cast.university.governance_figures.get()
    assert figure.status == FigureStatus.SUBMITTED
    assert evaluation.evaluate(YEAR).row_of(cast.university.pk).values["spinoffs"].value is None
    services.review_figure(figure, actor=cast.reviewer, accept=True)
    assert evaluation.evaluate(YEAR).row_of(cast.university.pk).values["spinoffs"].value == Decimal("2")


def test_a_university_sees_its_own_inputs_and_not_the_others(cast, records, client):
    client.force_login(cast.stranger)  # a member of 另一大学
    page = client.get(reverse("governance:university"), {"year": YEAR}).content.decode()
    assert "另一大学" in page and 'data-testid="inputs"' in page
    assert "900" in page  # its own licence amount, although a single contract
    assert "示范大学" not in page
    client.force_login(cast.official)
    page = client.get(reverse("governance_console:evaluation"), {"year": YEAR}).content.decode()
    row = page.split(f'data-org="{cast.other_university.pk}"')[1].split("</tr>")[0]
    assert 'data-withheld="1"' in row and "900" not in row


def test_my_work_links_members_to_their_evaluation_and_officials_to_their_tasks(
    plan, cast, kw_official, client
):
    client.force_login(cast.researcher)
    assert reverse("governance:university") in client.get(reverse("portal:mine")).content.decode()
    client.force_login(cast.buyer)
    assert reverse("governance:university") not in client.get(reverse("portal:mine")).content.decode()
    client.force_login(kw_official)
    page = client.get(reverse("portal:mine")).content.decode()
    assert reverse("governance_console:task", args=[plan.tasks.get(number=2).pk]) in page
