"""Contracts are an import kind like any other: one importer behind the page, the command and the console."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse

from techbridge.contracts.importing import import_contracts
from techbridge.contracts.models import Contract
from techbridge.imports.models import ImportBatch
from techbridge.imports.registry import import_kind

pytestmark = pytest.mark.django_db

HEADER = (
    "合同名称,合同类型,合同子类型,卖方统一社会信用代码,买方统一社会信用代码,合同金额,签订日期,原合同编号\n"
)


def _file(tmp_path, rows: str):
    path = tmp_path / "contracts.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_reimporting_a_contract_number_enters_it_once(cast, tmp_path):
    parties = f"{cast.university.credit_code},{cast.enterprise.credit_code}"
    path = _file(tmp_path, f"线下技术开发合同,技术开发,委托开发,{parties},50万,2026-02-01,NJ-2026-009\n")

    first = import_contracts(actor=cast.researcher, path=path)
    again = import_contracts(actor=cast.researcher, path=path)

    contract = Contract.objects.get()
    assert [c.pk for c in first.created] == [contract.pk] and str(contract.total_amount) == "500000.00"
    assert (again.report.created, again.report.unchanged, again.created) == (0, 1, [])
    changed = _file(tmp_path, f"线下技术开发合同,技术开发,委托开发,{parties},60万,2026-02-01,NJ-2026-009\n")
    refused = import_contracts(actor=cast.researcher, path=changed)
    assert [line for line, _reason in refused.errors] == [2] and contract.number in refused.errors[0][1]
    # Each run is recorded as an import batch of the contracts kind.
    assert set(ImportBatch.objects.values_list("kind", "status")) == {("contracts", "finished")}


def test_a_member_cannot_enter_another_sellers_contract(cast, tmp_path):
    parties = f"{cast.other_university.credit_code},{cast.enterprise.credit_code}"
    result = import_contracts(
        actor=cast.researcher, path=_file(tmp_path, f"他人合同,技术服务,技术服务,{parties},100,2026-02-01,\n")
    )
    assert result.created == [] and result.errors[0][0] == 2
    assert not Contract.objects.exists()


def test_contracts_are_a_kind_of_the_import_console(client, cast):
    from openpyxl import load_workbook

    kind = import_kind("contracts")
    assert kind.importer.model is Contract
    client.force_login(cast.operator)
    response = client.get(reverse("imports_console:template", args=["contracts"]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:2] == ["合同名称*", "合同类型*"]
    assert "技术合同" in client.get(reverse("imports_console:list")).content.decode()
