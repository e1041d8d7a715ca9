"""Scorecard inputs from the sample patent records (data/cn_patent_records_sample/)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from techbridge.testing.factories.achievements import make_achievement
from techbridge.valuation import patent_records
from techbridge.valuation.models import Scorecard

SAMPLE = Path(settings.BASE_DIR) / "data" / "cn_patent_records_sample" / "patent_records.jsonl"
AS_OF = date(2026, 6, 30)


def _records():
    return {r["申请号"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}


def test_legal_status_words():
    assert patent_records.legal_status("有权-审定授权") == "granted"
    assert patent_records.legal_status("审中-实质审查") == "pending"
    assert patent_records.legal_status("无权-未缴年费") == "lapsed"
    assert patent_records.legal_status("") is None


def test_inputs_from_sample_records_worked_example():
    recs = _records()
    utility = patent_records.scorecard_inputs(recs["CN202223220665.2"], AS_OF)
    # 实用新型 filed 2022-12-02, 10 years → 2032-12-02; 2,347 days from 2026-06-30 / 365.25 = 6.43
    assert utility["legal_status"] == "granted"
    assert utility["remaining_term_years"] == D("6.43")
    # 发明公开;发明授权 filed 2022-11-02, 20 years → 2042-11-02; 5,969 days / 365.25 = 16.34
    invention = patent_records.scorecard_inputs(recs["CN202211359874.7"], AS_OF)
    assert (invention["legal_status"], invention["remaining_term_years"]) == ("granted", D("16.34"))
    # pending application: 2042-12-30, 6,027 days / 365.25 = 16.50
    pending = patent_records.scorecard_inputs(recs["CN202211740332.4"], AS_OF)
    assert (pending["legal_status"], pending["remaining_term_years"]) == ("pending", D("16.50"))
    # the sample states no family size and only backward citations: both stay missing
    assert "family_size" not in utility and "citations" not in utility and "claims" not in utility


@pytest.mark.django_db
def test_import_command_fills_matching_scorecards(cast):
    a = make_achievement(cast, chip=True, patent_numbers="CN218751475U", title="一种无人机机载多功能盒")
    b = make_achievement(cast, chip=True, patent_numbers="CN202211740332.4", title="一种文本处理方法")
    make_achievement(cast, chip=True, patent_numbers="", title="无专利号的成果")
    call_command("import_scorecard_inputs", str(SAMPLE), operator="operator", as_of="2026-06-30")
    ca, cb = Scorecard.objects.get(achievement=a), Scorecard.objects.get(achievement=b)
    assert (ca.legal_status, ca.remaining_term_years) == ("granted", D("6.43"))
    assert (cb.legal_status, cb.remaining_term_years) == ("pending", D("16.50"))
    assert ca.claims is None and "CN202223220665.2" in ca.source_note
    # granted 100 × 20 + term 64.3 × 10 + IPC 2 subclasses 50 × 5 + TRL 7 75 × 20 + team 3 60 × 10
    # = 2,000 + 643 + 250 + 1,500 + 600 = 4,993 over 65 → 76.82, coverage 65 % → B
    assert (ca.score, ca.grade) == (D("76.82"), "B")
