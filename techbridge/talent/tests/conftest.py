"""Fixtures of the talent tests: listed technology managers, a training session, a hard demand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.core.roles import Role
from techbridge.talent import services
from techbridge.talent.choices import ManagerStatus
from techbridge.talent.models import Course, TechnologyManager, TrainingBase, TrainingSession
from techbridge.taxonomy.models import IndustryField


def make_manager(
    user: Any, *, level: str = "senior", fields: tuple[str, ...] = ("nev",), listed: bool = True, **kw: Any
) -> TechnologyManager:
    m = TechnologyManager.objects.create(
        user=user, level=level, status=ManagerStatus.APPROVED if listed else ManagerStatus.SUBMITTED, **kw
    )
    m.fields.set(IndustryField.objects.filter(code__in=fields))
    return m


def member_of(org: Any, username: str, **extra: Any) -> User:
    user = User(
        username=username, organization=org, role=Role.MEMBER, email=f"{username}@example.cn", **extra
    )
    user.set_unusable_password()
    user.save()
    return user


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
