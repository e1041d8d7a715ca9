"""In a real Chromium: a department files its quarterly report, staff accept it, and the task the
overview showed in warning is on track; the charts draw; the public summary fits a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from techbridge.core.roles import Role
from techbridge.governance.models import ProgressReport
from techbridge.governance.services.plans import load_plan_file
from techbridge.testing.factories.governance import department, make_department_user

pytestmark = pytest.mark.browser


def _as(live_browser, who) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(who)


def test_a_department_reports_and_the_task_turns_on_track(live_browser, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = load_plan_file().plan
    plan.reporting_starts = dt.date(2020, 1, 1)
    plan.save()
    official = make_department_user("kw_browser", department("南京市科学技术委员会"), Role.OFFICIAL)
    task = plan.tasks.get(number=2)
    page = live_browser.page

    _as(live_browser, official)
    live_browser.goto("/console/governance/")
    row = page.locator("tr", has=page.locator(f"a[href='/console/governance/tasks/{task.pk}/']"))
    assert row.locator("[data-standing]").get_attribute("data-standing") == "warning"
    assert page.evaluate("() => typeof Chart !== 'undefined'")
    live_browser.goto(f"/console/governance/tasks/{task.pk}/")
    page.click("[data-testid=file-report]")
    page.fill("textarea[name=summary]", "组织高校梳理科技成果资源，发布科技成果目录两期。")
    page.fill("input[name=figure_0_label]", "发布成果目录")
    page.fill("input[name=figure_0_value]", "2")
    page.locator("[data-testid=report-form] button[type=submit]").click()
    page.wait_for_url("**/console/governance/reports/*/")
    page.click("[data-testid=submit-report]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-testid=report-status]").inner_text() == "待审核"
    report_url = page.url

    _as(live_browser, cast.reviewer)
    page.goto(report_url)
    page.click("[data-testid=accept-report]")
    page.wait_for_load_state("domcontentloaded")
    assert ProgressReport.objects.get(task=task).status == "accepted"

    _as(live_browser, official)
    live_browser.goto("/console/governance/")
    row = page.locator("tr", has=page.locator(f"a[href='/console/governance/tasks/{task.pk}/']"))
    assert row.locator("[data-standing]").get_attribute("data-standing") == "on_track"

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    live_browser.goto("/governance/")
    assert page.locator("[data-testid=targets] tr[data-target]").count() == 15
