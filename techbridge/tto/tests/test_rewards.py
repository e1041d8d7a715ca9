"""Income and inventor rewards: the institution's policy, the statutory minimum of art. 45, PDF statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from techbridge.lib.pdf import pdf_text
from techbridge.tto import services
from techbridge.tto.models import Distribution


@pytest.fixture
def earning(cast, granted):
    services.record_income(
        granted.disclosure,
        actor=cast.univ_admin,
        kind="transfer",
        amount="100000",
        received_on=dt.date.today(),
    )
    return granted.disclosure


def test_policy_share_split_by_inventors(cast, earning):
    dist = services.create_distribution(
        earning,
        actor=cast.univ_admin,
        kind="transfer",
        year=dt.date.today().year,
        costs="10000",
        costs_note="代理费",
    )
    assert (dist.gross, dist.net, dist.percent, dist.inventors_amount) == (
        Decimal("100000.00"),
        Decimal("90000.00"),
        Decimal("70.00"),
        Decimal("63000.00"),
    )
    assert [(line.inventor.name, line.amount) for line in dist.lines.all()] == [
        ("李研究", Decimal("37800.00")),
        ("周同事", Decimal("25200.00")),
    ]


def test_below_the_minimum_without_agreement_is_refused_citing_the_article(cast, earning):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.create_distribution(
            earning, actor=cast.univ_admin, kind="transfer", year=dt.date.today().year, percent="40"
        )
    text = " ".join(exc.value.messages)
    assert "《促进科技成果转化法》第四十五条" in text and "不低于50%" in text
    assert not Distribution.objects.exists()
    dist = services.create_distribution(
        earning,
        actor=cast.univ_admin,
        kind="transfer",
        year=dt.date.today().year,
        percent="40",
        agreement="2026年奖酬协议第3号",
    )
    assert dist.inventors_amount == Decimal("40000.00")


def test_profit_minimum_is_five_percent(cast, granted):
    services.record_income(
        granted.disclosure, actor=cast.univ_admin, kind="profit", amount="200000", received_on=dt.date.today()
    )
    with pytest.raises(ValidationError):
        services.create_distribution(
            granted.disclosure, actor=cast.univ_admin, kind="profit", year=dt.date.today().year, percent="4"
        )
    dist = services.create_distribution(
        granted.disclosure, actor=cast.univ_admin, kind="profit", year=dt.date.today().year, percent="5"
    )
    assert dist.inventors_amount == Decimal("10000.00")


def test_statement_per_inventor_as_pdf(cast, earning, client, media_root, run_on_commit, monkeypatch):
    """Issuing answers without typesetting (issue 22 point 6): each statement is typeset once, in the
    background task, stored with its SHA-256 and served from storage."""
    import hashlib

    from techbridge.tto import documents

    typeset = []
    real = documents.render_statement
    monkeypatch.setattr(documents, "render_statement", lambda line: typeset.append(line.pk) or real(line))
    dist = services.create_distribution(
        earning, actor=cast.univ_admin, kind="transfer", year=dt.date.today().year
    )
    with run_on_commit() as queued:
        services.issue_distribution(dist, actor=cast.univ_admin)
    dist.refresh_from_db()
    assert dist.status == "issued" and typeset == []  # nothing typeset inside the request
    line = dist.lines.get(inventor__name="李研究")
    assert line.statement_sha256 == "" and not line.statement
    client.force_login(cast.researcher)
    waiting = client.get(reverse("tto:statement", args=[line.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert waiting.status_code == 202 and "正在生成" in waiting.content.decode()
    for callback in queued:  # the background task runs
        callback()
    assert sorted(typeset) == sorted(dist.lines.values_list("pk", flat=True))
    line.refresh_from_db()
    response = client.get(reverse("tto:statement", args=[line.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == line.statement_sha256 == response["X-Document-SHA256"]
    text = pdf_text(content)
    assert "李研究" in text and "42000.00" in text
    client.get(reverse("tto:statement", args=[line.pk]))
    assert len(typeset) == dist.lines.count()  # served from storage, never typeset again
    other = dist.lines.get(inventor__name="周同事")
    assert client.get(reverse("tto:statement", args=[other.pk])).status_code == 403


def test_income_under_a_contract_is_its_payment(cast, earning):
    from techbridge.testing.factories.achievements import make_achievement
    from techbridge.testing.factories.contracts import make_signed_contract

    contract = make_signed_contract(cast, make_achievement(cast))
    services.record_income(
        earning,
        actor=cast.univ_admin,
        kind="transfer",
        amount="5000",
        received_on=dt.date.today(),
        contract=contract,
    )
    assert contract.payments.get().amount == Decimal("5000.00")


def test_policy_page_saves_the_shares(cast, client):
    client.force_login(cast.univ_admin)
    client.post(
        reverse("tto:policy"), {"transfer_percent": "80", "equity_percent": "60", "profit_percent": "6"}
    )
    from techbridge.tto.models import RewardPolicy

    assert RewardPolicy.objects.get(institution=cast.university).transfer_percent == Decimal("80.00")
