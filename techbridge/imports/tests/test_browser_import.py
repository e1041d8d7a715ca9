"""The operator's path in a real browser: upload an Excel file, read the refused rows, confirm."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import Workbook

from techbridge.achievements.models import Achievement
from techbridge.imports.services import import_file

from .test_console_import import BAD_TRL, FIXTURES, GOOD, HEADERS, NS


@pytest.mark.browser
def test_operator_uploads_an_excel_file_sees_refusals_and_confirms(live_browser, cast, tmp_path, media_root):
    import_file(FIXTURES / "organizations.csv", kind="organizations", source="manual", publish=True)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(GOOD)
    ws.append(BAD_TRL)
    path = tmp_path / "成果.xlsx"
    wb.save(path)

    live_browser.login(cast.operator)
    live_browser.goto(reverse(f"{NS}:list"))
    page = live_browser.page
    page.select_option("select[name=kind]", "achievements")
    page.select_option("select[name=source]", "provincial")
    page.check("input[name=publish]")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("[data-status=previewed]")
    assert page.inner_text("[data-count=refused]") == "1"
    assert "BAD" not in page.inner_text("table.refused") and "3" in page.inner_text("table.refused td")
    page.click("form[action$='/confirm/'] button")
    page.wait_for_selector("[data-status=finished]")
    assert page.inner_text("[data-count=created]") == "1"
    assert Achievement.objects.get().source == "provincial"


@pytest.mark.browser
def test_analysis_page_draws_its_charts(live_browser, cast):
    live_browser.login(cast.official)
    live_browser.goto(reverse("mining_console:analysis"))
    page = live_browser.page
    page.wait_for_function("typeof Chart !== 'undefined' && Chart.getChart('chart-fields') !== undefined")
    assert page.locator("table.supply-demand").count() == 2
