"""Demonstration designations (verified by staff) feed the plan's figure; the alliance's standards are
versioned documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.core.registry import Period, metric
from techbridge.institutions import services
from techbridge.institutions.models import Designation
from techbridge.organizations.models import Zone


def _declare(cast, institution, level="provincial", days_ago=400, **kw):
    return services.declare_designation(
        institution,
        actor=cast.broker,
        level=level,
        designated_on=timezone.localdate() - dt.timedelta(days=days_ago),
        certificate_number=kw.pop("number", f"SJ-{level}-001"),
        issued_by="江苏省科学技术厅",
        **kw,
    )


def test_the_demonstration_figure_counts_verified_provincial_or_national(cast, institution):
    m = metric("institutions.demonstration")
    year = Period.year(timezone.localdate().year)
    assert m.cumulative and m.compute(year) is None  # no designation recorded at all: no data
    d = _declare(cast, institution)
    municipal = _declare(cast, institution, level="municipal", number="NJ-1")
    assert m.compute(year) == 0  # declared, not verified
    services.verify_designation(d, actor=cast.reviewer, accept=True)
    services.verify_designation(municipal, actor=cast.reviewer, accept=True)
    assert m.compute(year) == 1
    assert m.compute(year, district=cast.service.district) == 1
    assert m.compute(year, district="gaochun") == 0
    zone = Zone.objects.first()
    if zone is not None:
        assert m.compute(year, zone=zone) == 0
        type(cast.service).objects.filter(pk=cast.service.pk).update(zone=zone)
        assert m.compute(year, zone=zone.code) == 1
    before = Period(dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    assert m.compute(before) == 0
    services.revoke_designation(d, actor=cast.reviewer, revoked_on=timezone.localdate(), reason="复核不合格")
    assert (
        m.compute(year) == 0
        and m.compute(Period(before.start, timezone.localdate() - dt.timedelta(days=1))) == 1
    )


def test_verification_rules(cast, institution):
    with pytest.raises(ValidationError):
        _declare(cast, institution, days_ago=-10)
    d = _declare(cast, institution)
    with pytest.raises(ValidationError):
        _declare(cast, institution)  # the same certificate twice
    with pytest.raises(PermissionDenied):
        services.verify_designation(d, actor=cast.buyer, accept=True)
    with pytest.raises(ValidationError):
        services.verify_designation(d, actor=cast.reviewer, accept=False, note="")
    services.verify_designation(d, actor=cast.reviewer, accept=False, note="证书编号查无记录")
    assert Designation.objects.get().status == "rejected"


def test_the_directory_filters_by_level(client, cast, institution):
    d = _declare(cast, institution, level="national", number="GJ-9")
    services.verify_designation(d, actor=cast.reviewer, accept=True)
    html = client.get(reverse("institutions:directory") + "?level=national").content.decode()
    assert cast.service.name in html
    html = client.get(reverse("institutions:directory") + "?level=municipal").content.decode()
    assert cast.service.name not in html


def test_standards_are_published_in_versions(client, cast):
    v1 = services.publish_standard_version(
        actor=cast.operator, code="T/NJTTA 001-2026", title="技术转移服务规范", body="第一条 服务流程……"
    )
    v2 = services.publish_standard_version(
        actor=cast.operator,
        code="T/NJTTA 001-2026",
        title="技术转移服务规范",
        body="第一条 服务流程（修订）……",
        change_note="增加服务时限",
    )
    assert (v1.version, v2.version) == (1, 2) and v1.body == "第一条 服务流程……"
    with pytest.raises(PermissionDenied):
        services.publish_standard_version(actor=cast.reviewer, code="X", title="X", body="X")
    with pytest.raises(ValidationError):
        services.publish_standard_version(
            actor=cast.operator,
            code="X",
            title="X",
            body="X",
            published_on=timezone.localdate() + dt.timedelta(days=1),
        )
    page = client.get(reverse("institutions:standard", args=[v1.standard_id])).content.decode()
    assert "（修订）" in page and "增加服务时限" in page
    old = client.get(reverse("institutions:standard_version", args=[v1.standard_id, 1])).content.decode()
    assert "第一条 服务流程……" in old
    rows = APIClient().get("/api/v1/institution-standards/").json()
    assert rows[0]["version"] == 2 and rows[0]["versions"] == [2, 1]
