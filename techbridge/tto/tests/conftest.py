"""Fixtures of the tto tests: a case carried through the services to each stage."""

from __future__ import annotations

import datetime as dt

import pytest

from techbridge.tto import services


@pytest.fixture
def disclosed(cast):
    """A case disclosed by the researcher (60 %) with a colleague (40 %), one funding source."""
    case = services.create_disclosure(
        actor=cast.researcher,
        data={
            "title": "一种固态电解质界面修饰方法",
            "summary": "提高固态锂电池循环寿命的界面修饰。",
            "detail": "配方：……（保密）",
        },
        inventors=[
            {"name": "李研究", "share": "60", "user": cast.researcher},
            {"name": "周同事", "share": "40"},
        ],
        funding=[
            {"funder": "国家自然科学基金", "grant_number": "52070001", "obligations": "成果须向基金委报告"}
        ],
    )
    services.submit_disclosure(case, actor=cast.researcher)
    return case


@pytest.fixture
def protected(cast, disclosed):
    services.assess_disclosure(
        disclosed,
        actor=cast.univ_admin,
        scores={"score_novelty": 4, "score_market": 4, "score_maturity": 3, "score_protectability": 5},
    )
    services.decide_disclosure(
        disclosed, actor=cast.univ_admin, decision="protect", reasons="新颖性强，市场明确。"
    )
    return disclosed


@pytest.fixture
def granted(cast, protected):
    app = services.file_application(
        protected,
        actor=cast.univ_admin,
        data={
            "kind": "invention",
            "application_number": "CN202110123456.7",
            "filing_date": "2021-03-01",
            "agency": "南京某专利代理事务所",
            "official_fees": "3450",
            "agency_fees": "6000",
        },
    )
    services.request_examination(app, actor=cast.univ_admin)
    services.record_grant(app, actor=cast.univ_admin, grant_date=dt.date(2023, 5, 9))
    return app
