"""Fixtures of the talent tests: a training session and the text of a hard demand (technology managers
and members come from ``techbridge.testing.factories.talent``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from techbridge.talent import services
from techbridge.talent.models import Course, TrainingBase, TrainingSession


@pytest.fixture
def session(cast) -> TrainingSession:
    base = TrainingBase.objects.create(name="南京技术转移人才培养基地", host=cast.university)
    course = Course.objects.create(
        base=base, code="TT-101", title="技术经纪实务", hours=32, has_exam=True, pass_mark=60
    )
    today = timezone.localdate()
    return services.create_session(
        actor=cast.operator,
        course=course,
        data={
            "starts_on": today - dt.timedelta(days=3),
            "ends_on": today,
            "registration_closes": today,
            "location": "南京市鼓楼区",
            "capacity": 3,
        },
    )


HARD = {
    "title": "动力电池隔膜量产工艺优化",
    "problem": "现有湿法隔膜产线良率偏低，需要中试放大并实现量产，同时担心国外专利壁垒导致侵权风险。",
    "indicators": "孔隙率≥45%；厚度9μm；热收缩≤3%；穿刺强度≥500gf",
    "setting": "年产2亿平方米隔膜产线，需通过车规认证",
}
