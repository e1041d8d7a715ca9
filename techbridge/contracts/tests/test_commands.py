"""Operator commands: importing outside contracts and the statistics benchmark (which keeps nothing)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from techbridge.contracts.models import Contract
from techbridge.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_bench_contract_stats_reports_and_rolls_back(cast):
    orgs = Organization.objects.count()
    out = StringIO()
    call_command("bench_contract_stats", contracts=60, rounds=1, stdout=out)
    assert "## Contract statistics" in out.getvalue() and "by month" in out.getvalue()
    assert Contract.objects.count() == 0 and Organization.objects.count() == orgs


def test_import_contracts_command_reports_a_summary(cast, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "合同名称,合同类型,合同子类型,卖方统一社会信用代码,买方统一社会信用代码,合同金额（元）,签订日期\n"
        f"线下技术开发合同,技术开发,委托开发,{cast.university.credit_code},{cast.enterprise.credit_code},50000,2026-02-01\n"
        f"坏行,技术开发,委托开发,{cast.university.credit_code},{cast.enterprise.credit_code},,2026-02-01\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command("import_contracts", str(path), user="operator", stdout=out, stderr=err)
    assert "1 contracts imported, 1 rows refused." in out.getvalue()
    assert "line 3" in err.getvalue()
    assert Contract.objects.get().origin == "external"
