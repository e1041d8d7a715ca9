"""The main paths in a real Chromium: an enterprise registers a product, an operator imports a patent
export, an alert with the overlap explained appears and the enterprise asks for analysis; staff define
the 智能电网 industry, see its landscape drawn and generate the report."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from techbridge.ipservices.models import AnalysisRequest, NavigationReport, PatentAlert
from techbridge.testing.factories.ipservices import (
    DRONE_BOX,
    make_grid_patents,
    make_provider,
    sample_records,
)

pytestmark = pytest.mark.browser


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_product_import_alert_and_analysis(live_browser, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from techbridge.matching import corpus

    corpus.forget("ipservices.products")
    provider = make_provider(cast)
    page = live_browser.page
    page.set_default_timeout(60_000)  # the import encodes the patents for matching

    # The enterprise registers its product in its own words.
    _as(live_browser, cast.buyer)
    live_browser.goto(reverse("ipservices:warning"))
    page.click("[data-testid=new-product]")
    page.fill("[data-testid=product-form] input[name=name]", DRONE_BOX["name"])
    page.fill("[data-testid=product-form] textarea[name=description]", DRONE_BOX["description"])
    page.fill("[data-testid=product-form] input[name=keywords]", DRONE_BOX["keywords"])
    page.click("[data-testid=product-form] button[type=submit]")
    page.wait_for_url("**/ipservices/warning/")
    assert page.locator("[data-testid=product-row]").count() == 1
    assert page.inner_text("[data-testid=new-alerts]") == "0"

    # An operator imports a patent database export through the import console.
    export = tmp_path / "专利导出.jsonl"
    export.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in sample_records()), encoding="utf-8"
    )
    _as(live_browser, cast.operator)
    live_browser.goto(reverse("imports_console:list"))
    page.select_option("select[name=kind]", "patent_register")
    page.select_option("select[name=source]", "national")
    page.set_input_files("input[name=file]", str(export))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("[data-status=previewed]")
    assert page.inner_text("[data-count=created]") == "10"
    page.click("form[action$='/confirm/'] button")
    page.wait_for_selector("[data-status=finished]")

    # The enterprise sees the alert with the overlap explained.
    alert = PatentAlert.objects.get(patent__application_number="CN202223220665.2")
    _as(live_browser, cast.buyer)
    live_browser.goto(reverse("ipservices:warning"))
    assert int(page.inner_text("[data-testid=new-alerts]")) >= 1
    page.click(f"a[href='{reverse('ipservices:alert', args=[alert.pk])}']")
    terms = page.locator("[data-testid=shared-term]").all_inner_texts()
    assert "无人机" in terms
    sentence = page.locator("[data-testid=claim-sentence]").first
    assert "无人机" in sentence.inner_text() and sentence.locator("mark").count() >= 1

    # … and asks the IP service institution for an analysis.
    page.fill("[data-testid=ask-analysis] input[name=provider]", f"#{provider.pk}")  # the picker takes #id
    page.fill(
        "[data-testid=ask-analysis] textarea[name=question]", "我们的数据盒是否落入权利要求1的保护范围？"
    )
    page.click("[data-testid=ask-analysis] button[type=submit]")
    page.wait_for_url("**/ipservices/analysis/*/")
    assert page.inner_text("[data-testid=analysis-status]") == "待服务机构处理"
    req = AnalysisRequest.objects.get()
    assert req.alert == alert and req.provider == provider
    alert.refresh_from_db()
    assert alert.status == "analysis"


def test_staff_define_smart_grid_and_get_the_landscape_and_report(live_browser, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_grid_patents()
    page = live_browser.page
    page.set_default_timeout(60_000)
    _as(live_browser, cast.reviewer)
    live_browser.goto(reverse("ipservices_console:industries"))
    page.click("[data-testid=new-industry]")
    form = "[data-testid=industry-form]"
    page.fill(f"{form} input[name=name]", "智能电网")
    page.fill(f"{form} input[name=ipc_prefixes]", "H02J；G01R 31")
    page.fill(f"{form} input[name=keywords]", "智能电网；配电网")
    page.check(f"{form} input[name=is_base]")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/ipservices/navigation/*/")
    assert page.inner_text("[data-total=patents]") == "36"
    page.wait_for_function("typeof Chart !== 'undefined' && Chart.getChart('chart-years') !== undefined")
    page.click("[data-testid=generate-report]")
    page.wait_for_selector("[data-testid=report-pdf]")
    report = NavigationReport.objects.get()
    assert report.status == "ready" and report.pdf_sha256
    with page.expect_download() as info:
        page.click("[data-testid=report-xlsx]")
    assert info.value.suggested_filename.endswith(".xlsx")
