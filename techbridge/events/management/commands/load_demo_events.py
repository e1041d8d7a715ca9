"""Publish a few upcoming demo events (idempotent), so the events pages are not empty in ``make demo``.

    python manage.py load_demo_events

Runs after ``load_demo`` and ``demo_accounts``. The events are written for demonstration, tagged as demo
data (``is_demo``, shown as 示例数据) and created through the services by the demo operator. They lie in the
future, so they count toward no figure of the plan (only events held count); nobody is registered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus

from ...choices import EventKind
from ...models import Event
from ...services import create_event, publish_event, set_sessions

# (title, kind, days from today, hours, venue, district, capacity, summary, sessions)
DEMO_EVENTS: list[tuple[str, str, int, int, str, str, int, str, list[tuple[str, int, int]]]] = [
    (
        "示例·新能源与新材料科技成果发布会",
        EventKind.EXHIBITION,
        14,
        3,
        "南京国际博览中心 3号馆",
        "jianye",
        200,
        "高校院所集中发布新能源、新材料领域的科技成果，现场设成果展示区与一对一洽谈区。",
        [("开幕与成果发布", 0, 60), ("重点成果路演", 60, 90), ("一对一洽谈", 150, 30)],
    ),
    (
        "示例·集成电路产业技术需求对接会",
        EventKind.MATCHMAKING,
        21,
        2,
        "江北新区研创园会议中心",
        "jiangbei",
        80,
        "企业发布集成电路设计与封测环节的技术需求，高校团队现场对接。",
        [("企业需求发布", 0, 60), ("分组对接", 60, 60)],
    ),
    (
        "示例·技术经理人实务培训（第一期）",
        EventKind.TRAINING,
        30,
        6,
        "南京市科技成果转化服务中心 培训室",
        "xuanwu",
        40,
        "技术合同认定登记、科技成果评估与许可谈判实务。",
        [("技术合同认定登记实务", 0, 120), ("成果评估方法", 180, 120)],
    ),
]


class Command(BaseCommand):
    help = "Publish a few upcoming demo events (tagged as demo data)."

    def handle(self, *args: Any, **options: Any) -> None:
        operator = get_user_model().objects.filter(username="operator").first()
        if operator is None:
            raise CommandError("Run demo_accounts first: the demo operator publishes the events.")
        achievements = list(
            Achievement.objects.filter(status=ReviewStatus.PUBLISHED).exclude(summary="").order_by("pk")[:3]
        )
        today = timezone.localdate()
        created = 0
        for title, kind, days, hours, venue, district, capacity, summary, sessions in DEMO_EVENTS:
            if Event.objects.filter(title=title, is_demo=True).exists():
                continue
            start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(9, 30)))
            event = create_event(
                actor=operator,
                data={
                    "title": title,
                    "kind": kind,
                    "summary": summary,
                    "organizer": operator.organization,
                    "venue": venue,
                    "district": district,
                    "starts_at": start,
                    "ends_at": start + dt.timedelta(hours=hours),
                    "registration_closes_at": start - dt.timedelta(days=1),
                    "capacity": capacity,
                },
                achievements=achievements if kind == EventKind.EXHIBITION else (),
                is_demo=True,
            )
            set_sessions(
                event,
                actor=operator,
                sessions=[
                    {
                        "title": name,
                        "starts_at": start + dt.timedelta(minutes=offset),
                        "ends_at": start + dt.timedelta(minutes=offset + length),
                    }
                    for name, offset, length in sessions
                ],
            )
            publish_event(event, actor=operator)
            created += 1
        self.stdout.write(f"演示活动：新建 {created} 场，已有 {len(DEMO_EVENTS) - created} 场。")
