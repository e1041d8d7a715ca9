"""Existing auction roadshows become events: their seats, achievements, schedule and history move,
and their old addresses (pages and API) lead to the event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from techbridge.events.choices import EventKind, EventStatus, RegistrationStatus
from techbridge.testing.factories.events import EventFactory

BEFORE = [("auctions", "0002_bound_lot_timings"), ("events", "0001_initial")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_roadshows_seats_and_achievements_move_into_events():
    executor = MigrationExecutor(connection)
    # Every app at its latest migration, except auctions and events: before the roadshows moved.
    targets = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("auctions", "events")] + BEFORE
    executor.migrate(targets)
    old = executor.loader.project_state(targets).apps
    # The serialized rollback of earlier tests writes rows with their ids but leaves PostgreSQL's
    # sequences where they were; align them, as loaddata does, before this test inserts rows.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(old.get_models())):
            cursor.execute(statement)
    Organization = old.get_model("organizations", "Organization")
    User = old.get_model("accounts", "User")
    Achievement = old.get_model("achievements", "Achievement")
    Roadshow = old.get_model("auctions", "Roadshow")
    Seat = old.get_model("auctions", "RoadshowRegistration")
    AuditEntry = old.get_model("core", "AuditEntry")
    ContentType = old.get_model("contenttypes", "ContentType")

    org = Organization.objects.create(name="迁移大学", kind="university", status="approved")
    user = User.objects.create(username="seat_holder", organization=org, role="member")
    other = User.objects.create(username="second_holder", role="member")
    achievement = Achievement.objects.create(
        title="迁移成果", kind="invention_patent", owner=org, summary="s"
    )
    # A fixed local hour: an untimed line (茶歇) takes the show's start, so the order must not depend on
    # the hour the suite runs at.
    day = timezone.localdate() + dt.timedelta(days=2)
    start = dt.datetime.combine(day, dt.time(16, 0), tzinfo=timezone.get_current_timezone())
    show = Roadshow.objects.create(
        title="高校专利拍卖路演",
        summary="路演简介",
        venue="南京国际博览中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        stream_url="https://live.example.cn/1",
        schedule="14:00 开场\n14:10-15:00 拍品路演\n茶歇",
        capacity=50,
        registered_count=2,
        status="published",
    )
    show.achievements.add(achievement)
    Seat.objects.create(roadshow=show, user=user)
    Seat.objects.create(roadshow=show, user=other)
    draft = Roadshow.objects.create(
        title="草稿路演", starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity=1
    )
    roadshow_ct, _ = ContentType.objects.get_or_create(app_label="auctions", model="roadshow")
    # Entries written before issue 11: auctions.0003 dots their codes, then the copy moves them.
    for action, actor in [
        ("auctions.roadshow_saved", None),
        ("auctions.roadshow_published", None),
        ("auctions.roadshow_registered", user),
        ("auctions.roadshow_cancelled", other),
    ]:
        AuditEntry.objects.create(
            content_type=roadshow_ct, object_id=str(show.pk), action=action, actor=actor
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from techbridge.core.models import AuditEntry as NewAudit
    from techbridge.events.models import Event

    event = Event.objects.get(legacy_roadshow_id=show.pk)
    assert (event.kind, event.status, event.title, event.live_url) == (
        EventKind.ROADSHOW,
        EventStatus.PUBLISHED,
        "高校专利拍卖路演",
        "https://live.example.cn/1",
    )
    assert event.registered_count == 2 and event.capacity == 50
    regs = list(event.registrations.order_by("created_at"))
    assert [r.user.username for r in regs] == ["seat_holder", "second_holder"]
    assert all(r.status == RegistrationStatus.CONFIRMED and len(r.code) == 12 for r in regs)
    assert regs[0].organization_id == org.pk
    assert list(event.achievements.values_list("title", flat=True)) == ["迁移成果"]
    sessions = list(event.sessions.order_by("starts_at", "id"))
    assert [s.title for s in sessions] == ["开场", "拍品路演", "茶歇"]
    assert timezone.localtime(sessions[0].starts_at).strftime("%H:%M") == "14:00"
    assert timezone.localtime(sessions[1].ends_at).strftime("%H:%M") == "15:00"
    assert Event.objects.get(legacy_roadshow_id=draft.pk).status == EventStatus.DRAFT
    entries = NewAudit.objects.filter(content_type__app_label="events", object_id=str(event.pk))
    assert sorted(entries.values_list("action", "actor__username")) == [
        ("events.event.migrated", None),
        ("events.event.published", None),
        ("events.event.seat_released", "second_holder"),
        ("events.event.seat_taken", "seat_holder"),
        ("events.event.updated", None),
    ]
    assert not NewAudit.objects.filter(
        content_type__app_label="auctions", action__contains="roadshow"
    ).exists()


def test_every_roadshow_code_is_carried_to_an_events_code_with_words():
    """Whatever code a roadshow entry had (before or after issue 11's renaming), it lands on a code of
    the events app that has words, so the event's history reads well."""
    import importlib

    from techbridge.core import registry

    copy = importlib.import_module("techbridge.events.migrations.0002_copy_roadshows")
    rename = importlib.import_module("techbridge.auctions.migrations.0003_rename_audit_codes")
    roadshow_codes = [
        codes
        for op in rename.Migration.operations
        for (_app, model), codes in op.renames.items()
        if model == "roadshow"
    ]
    assert roadshow_codes
    for codes in roadshow_codes:
        assert set(codes) | set(codes.values()) <= set(copy.ACTIONS)
    known = registry.audit_codes()
    assert all(code.startswith("events.event.") and code in known for code in copy.ACTIONS.values())


@pytest.mark.django_db
def test_old_roadshow_addresses_redirect_to_the_event(client):
    event = EventFactory(kind=EventKind.ROADSHOW, legacy_roadshow_id=7)
    r = client.get("/auctions/roadshows/7/")
    assert r.status_code == 301 and r["Location"] == reverse("events:detail", args=[event.pk])
    r = client.post("/auctions/roadshows/7/register/")
    assert r.status_code == 303 and r["Location"] == reverse("events:detail", args=[event.pk])
    r = client.get("/auctions/roadshows/")
    assert r.status_code == 301 and r["Location"].endswith("?kind=roadshow")
    r = client.get("/api/v1/auctions/roadshows/7/")
    assert r.status_code == 301 and r["Location"] == f"/api/v1/events/{event.pk}/"
    assert client.get("/auctions/roadshows/8/").status_code == 404
