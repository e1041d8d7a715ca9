"""Auction roadshows become events of kind "roadshow", before auctions drops its roadshow tables.

Each roadshow keeps its title, summary, venue, times, live link, seats, auction session, status, author
and the achievements it presented; its schedule lines become the event's sessions (a line that starts
with a time is placed at that time on the day of the roadshow); each seat becomes a confirmed
registration with a new ticket code; its audit entries move to the event (codes renamed to the events
app's). ``legacy_roadshow_id`` keeps the old number so old addresses redirect to the event.
"""

import datetime as dt
import re
import secrets
import zoneinfo

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
STATUS = {"draft": "draft", "published": "published", "cancelled": "cancelled"}
# auctions.0003_rename_audit_codes (which runs first) gave the roadshow's entries dotted codes; the
# codes before it are mapped as well. Seats were a count on the roadshow, so their entries stay on the
# event (who took or gave back a seat is the entry's actor).
ACTIONS = {
    "auctions.roadshow.saved": "events.event.updated",
    "auctions.roadshow.published": "events.event.published",
    "auctions.roadshow.cancelled": "events.event.cancelled",
    "auctions.roadshow.seat_taken": "events.event.seat_taken",
    "auctions.roadshow.seat_released": "events.event.seat_released",
    "auctions.roadshow_saved": "events.event.updated",
    "auctions.roadshow_published": "events.event.published",
    "auctions.roadshow_registered": "events.event.seat_taken",
    "auctions.roadshow_cancelled": "events.event.seat_released",
}
TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:\s*[-–~至]\s*(\d{1,2})[:：](\d{2}))?\s*(.*)$")


def _code(taken):
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(12))
        if code not in taken:
            taken.add(code)
            return code


def _sessions(show, event, Session, tz):
    day = show.starts_at.astimezone(tz).date()
    rows = []
    for line in (show.schedule or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = TIME.match(line)
        starts, ends, title = show.starts_at, None, line
        if m:
            try:
                starts = dt.datetime.combine(day, dt.time(int(m[1]), int(m[2])), tzinfo=tz)
                if m[3]:
                    ends = dt.datetime.combine(day, dt.time(int(m[3]), int(m[4])), tzinfo=tz)
                    if ends <= starts:
                        ends = None
                title = m[5] or line
            except ValueError:
                starts, ends, title = show.starts_at, None, line
        rows.append(Session(event=event, title=title[:200], starts_at=starts, ends_at=ends))
    Session.objects.bulk_create(rows)


def copy(apps, schema_editor):
    Roadshow = apps.get_model("auctions", "Roadshow")
    Seat = apps.get_model("auctions", "RoadshowRegistration")
    Event = apps.get_model("events", "Event")
    Session = apps.get_model("events", "EventSession")
    Registration = apps.get_model("events", "Registration")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    taken = set(Registration.objects.values_list("code", flat=True))
    old_ct = ContentType.objects.filter(app_label="auctions", model="roadshow").first()
    new_ct, _created = ContentType.objects.get_or_create(app_label="events", model="event")
    for show in Roadshow.objects.order_by("pk"):
        seats = list(Seat.objects.filter(roadshow=show).select_related("user").order_by("created_at", "pk"))
        event = Event.objects.create(
            title=show.title,
            kind="roadshow",
            summary=show.summary or "",
            venue=show.venue or "",
            live_url=show.stream_url or "",
            starts_at=show.starts_at,
            ends_at=show.ends_at,
            capacity=max(show.capacity, len(seats), 1),
            registered_count=len(seats),
            waitlist=False,
            auction_session_id=show.session_id,
            status=STATUS.get(show.status, "draft"),
            published_at=show.created_at if show.status == "published" else None,
            legacy_roadshow_id=show.pk,
            created_by_id=show.created_by_id,
            created_at=show.created_at,
            updated_at=show.created_at,
        )
        event.achievements.set(show.achievements.all())
        _sessions(show, event, Session, tz)
        Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    user_id=seat.user_id,
                    organization_id=seat.user.organization_id,
                    code=_code(taken),
                    status="confirmed",
                    created_at=seat.created_at,
                    confirmed_at=seat.created_at,
                )
                for seat in seats
            ]
        )
        if old_ct is not None:
            entries = AuditEntry.objects.filter(content_type=old_ct, object_id=str(show.pk))
            for entry in entries:
                entry.content_type = new_ct
                entry.object_id = str(event.pk)
                entry.action = ACTIONS.get(entry.action, entry.action)
                entry.save(update_fields=["content_type", "object_id", "action"])
        AuditEntry.objects.create(
            content_type=new_ct,
            object_id=str(event.pk),
            action="events.event.migrated",
            to_state=event.status,
            data={"roadshow": show.pk, "registrations": len(seats)},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auctions", "0004_lot_contract_and_room_foreign_keys"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    run_before = [("auctions", "0005_remove_roadshows")]
    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
