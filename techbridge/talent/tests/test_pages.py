"""List pages and endpoints of talent: what they show, and their exact query counts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.talent import services
from techbridge.talent.models import Course, Expert, TrainingBase, TrainingSession
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories.talent import make_manager, member_of


def _people(cast, n: int = 5) -> None:
    ic = IndustryField.objects.get(code="ic")
    base = TrainingBase.objects.create(name="基地", host=cast.university)
    today = timezone.localdate()
    for i in range(n):
        user = member_of(cast.service, f"mgr{i}", real_name=f"经理{i}")
        make_manager(user, fields=("ic", "nev"))
        expert = Expert.objects.create(user=member_of(cast.university, f"exp{i}"))
        expert.fields.set([ic])
        course = Course.objects.create(base=base, code=f"C-{i}", title=f"课程{i}", hours=16)
        TrainingSession.objects.create(
            course=course,
            starts_on=today,
            ends_on=today,
            registration_closes=today,
            location="南京",
            capacity=10,
        )
        services.save_entry(
            actor=cast.reviewer,
            data={
                "programme": "创业南京英才计划",
                "category": "student_founder",
                "year": 2026,
                "person_name": f"学生{i}",
            },
        )
        services.save_secondment(
            actor=cast.reviewer,
            data={
                "programme": "industry_professor",
                "person_name": f"教授{i}",
                "from_org": cast.university,
                "to_org": cast.enterprise,
                "post": "产业教授",
                "starts_on": today - dt.timedelta(days=10),
                "ends_on": today + dt.timedelta(days=300),
            },
        )


def test_portal_lists_query_count(client, cast, pinned_queries):
    _people(cast)
    with pinned_queries("managers"):
        html = client.get(reverse("talent:managers")).content.decode()
    assert html.count('data-testid="manager-card"') == 5
    with pinned_queries("training"):
        html = client.get(reverse("talent:training")).content.decode()
    assert "课程4" in html
    with pinned_queries("home"):
        client.get(reverse("talent:home"))


def test_api_lists_query_count(cast, pinned_queries):
    _people(cast)
    api = APIClient()
    with pinned_queries("managers"):
        rows = api.get("/api/v1/talent/managers/").json()["results"]
    assert len(rows) == 5 and rows[0]["industry_fields"] == ["ic", "nev"]
    with pinned_queries("sessions"):
        assert api.get("/api/v1/talent/sessions/").json()["count"] == 5
    api.force_authenticate(cast.operator)
    with pinned_queries("experts"):
        assert api.get("/api/v1/talent/experts/").json()["count"] == 5
    with pinned_queries("register"):
        assert api.get("/api/v1/talent/register/").json()["count"] == 5
    with pinned_queries("secondments"):
        assert api.get("/api/v1/talent/secondments/").json()["count"] == 5
    with pinned_queries("routings"):
        assert api.get("/api/v1/talent/routings/").json()["count"] == 0


def test_console_lists_query_count(client, cast, pinned_queries):
    _people(cast)
    client.force_login(cast.operator)
    for name in ("managers", "certificates", "experts", "training", "secondments", "register", "routing"):
        with pinned_queries(name):
            assert (
                client.get(
                    reverse(f"talent_console:{name}") + ("?status=approved" if name == "managers" else "")
                ).status_code
                == 200
            )
