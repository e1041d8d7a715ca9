"""The annual report: generated from the records, editable, Excel and PDF, read by governance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.urls import reverse

from techbridge.core.registry import Period, find_metric
from techbridge.lib.pdf import pdf_text
from techbridge.tto import services


def _rewarded(cast, granted):
    services.record_income(
        granted.disclosure,
        actor=cast.univ_admin,
        kind="transfer",
        amount="100000",
        received_on=dt.date.today(),
    )
    dist = services.create_distribution(
        granted.disclosure, actor=cast.univ_admin, kind="transfer", year=dt.date.today().year
    )
    services.issue_distribution(dist, actor=cast.univ_admin)
    return dist


def test_report_from_the_records_edit_and_export(
    cast, granted, client, media_root, run_on_commit, monkeypatch
):
    import hashlib

    from techbridge.tto import documents

    _rewarded(cast, granted)
    year = dt.date.today().year
    report = services.generate_report(actor=cast.univ_admin, year=year)
    assert report.figures["rewards"] == "70000.00" and report.figures["income"] == "100000.00"
    assert report.figures["rewarded_people"] == 2
    client.force_login(cast.univ_admin)
    client.post(
        reverse("tto:report", args=[report.pk]), {"spinoffs": 2, "office_staff": 6, "narrative": "年度总结"}
    )
    typeset = []
    real = documents.render_report
    monkeypatch.setattr(documents, "render_report", lambda r: typeset.append(r.pk) or real(r))
    with run_on_commit() as queued:
        client.post(reverse("tto:finalise", args=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.spinoffs, report.office_staff) == ("final", 2, 6)
    # Finalising answers without typesetting (issue 22 point 6); the PDF page says it is being made.
    assert typeset == [] and report.pdf_sha256 == ""
    waiting = client.get(reverse("tto:report_file", args=[report.pk, "pdf"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert waiting.status_code == 202 and "正在生成" in waiting.content.decode()
    for callback in queued:
        callback()
    assert typeset == [report.pk]
    report.refresh_from_db()
    pdf = client.get(reverse("tto:report_file", args=[report.pk, "pdf"]))
    content = b"".join(pdf.streaming_content)
    assert hashlib.sha256(content).hexdigest() == report.pdf_sha256 == pdf["X-Document-SHA256"]
    assert "70000.00" in pdf_text(content) and "年度总结" in pdf_text(content)
    from openpyxl import load_workbook

    xlsx = client.get(reverse("tto:report_file", args=[report.pk, "xlsx"]))
    values = [
        c
        for row in load_workbook(BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True)
        for c in row
    ]
    assert Decimal("70000") in values and 2 in values


def test_governance_evaluation_reads_the_rewards(cast, granted):
    _rewarded(cast, granted)
    period = Period.year(dt.date.today().year)
    metric = find_metric("tto.inventor_rewards")
    assert metric.compute(period) == Decimal("70000.00")
    assert metric.by_organization(period) == {cast.university.pk: Decimal("70000.00")}
    from techbridge.governance.evaluation import BY_CODE

    assert BY_CODE["inventor_rewards"].metric == "tto.inventor_rewards"


def test_reports_only_for_the_office(cast, client):
    client.force_login(cast.researcher)
    assert client.get(reverse("tto:reports")).status_code == 403
