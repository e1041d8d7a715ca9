"""Training: registration within capacity, hours and exams, certificates, and the plan's 500 moving."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.core.registry import Period, metric
from techbridge.core.workflow import TransitionError
from techbridge.talent import queries, services
from techbridge.talent.models import Certificate, Enrolment, TrainingSession
from techbridge.testing.factories.talent import member_of


def test_a_manager_takes_a_course_earns_hours_and_a_certificate(cast, session):
    m = metric("talent.trained_staff")
    year = Period.year(timezone.localdate().year)
    assert m.cumulative and m.compute(year) is None  # no certificates at all yet: no data
    mine = services.enrol(session, actor=cast.broker)
    other = services.enrol(session, actor=cast.buyer)
    session.refresh_from_db()
    assert session.seats_taken == 2
    services.record_results(
        session,
        actor=cast.reviewer,
        rows=[
            {"enrolment": mine.pk, "hours": "30", "exam_score": "82"},
            {"enrolment": other.pk, "hours": "20", "exam_score": "90"},  # under 80% of 32 hours
        ],
    )
    result = services.complete_session(session, actor=cast.reviewer)
    assert result == {"passed": 1, "failed": 1}
    mine.refresh_from_db()
    cert = mine.certificate
    assert mine.status == "passed" and cert.kind == "training" and cert.status == "verified"
    assert cert.number.startswith(f"TT{timezone.localdate():%Y}-") and cert.issuer == session.course.base.name
    record = queries.training_record(cast.broker)
    assert record["hours_passed"] == Decimal("30") and record["certificates"] == [cert]
    assert m.compute(year) == 1
    assert m.compute(year, district=cast.service.district) == 1 and m.compute(year, district="luhe") == 0
    assert m.compute(Period(dt.date(2000, 1, 1), dt.date(2000, 12, 31))) == 0


def test_capacity_duplicates_and_cancellation(cast, session):
    services.enrol(session, actor=cast.broker)
    with pytest.raises(ValidationError):
        services.enrol(session, actor=cast.broker)
    services.enrol(session, actor=cast.buyer)
    third = services.enrol(session, actor=cast.researcher)
    with pytest.raises(TransitionError):
        services.enrol(session, actor=cast.stranger)
    services.cancel_enrolment(third, actor=cast.reviewer)
    services.enrol(session, actor=cast.stranger)
    session.refresh_from_db()
    assert session.seats_taken == 3 == Enrolment.objects.exclude(status="cancelled").count()


def test_results_are_bounded_and_only_staff_record_them(cast, session):
    e = services.enrol(session, actor=cast.broker)
    with pytest.raises(ValidationError):
        services.record_results(session, actor=cast.reviewer, rows=[{"enrolment": e.pk, "hours": "33"}])
    with pytest.raises(ValidationError):
        services.record_results(
            session, actor=cast.reviewer, rows=[{"enrolment": e.pk, "hours": "3", "exam_score": "101"}]
        )
    with pytest.raises(PermissionDenied):
        services.record_results(session, actor=cast.broker, rows=[{"enrolment": e.pk, "hours": "3"}])
    e.refresh_from_db()
    assert e.hours == 0


def test_a_session_is_completed_only_after_its_last_day(cast, session):
    TrainingSession.objects.filter(pk=session.pk).update(ends_on=timezone.localdate() + dt.timedelta(days=1))
    session.refresh_from_db()
    with pytest.raises(TransitionError):
        services.complete_session(session, actor=cast.reviewer)


def test_declared_certificates_count_once_verified(cast):
    cert = services.declare_certificate(
        actor=cast.broker,
        kind="training",
        number="JS-2025-0001",
        issuer="江苏省技术转移联盟",
        issued_on=dt.date(2025, 6, 1),
    )
    assert queries.trained_people(timezone.localdate()) == 0
    with pytest.raises(PermissionDenied):
        services.verify_certificate(cert, actor=cast.broker, accept=True)
    services.verify_certificate(cert, actor=cast.reviewer, accept=True)
    assert queries.trained_people(timezone.localdate()) == 1
    with pytest.raises(ValidationError):
        services.declare_certificate(
            actor=cast.buyer,
            kind="training",
            number="JS-2025-0001",
            issuer="江苏省技术转移联盟",
            issued_on=dt.date(2025, 6, 1),
        )
    services.revoke_certificate(cert, actor=cast.reviewer, revoked_on=timezone.localdate(), reason="信息不实")
    assert queries.trained_people(timezone.localdate()) == 0
    assert queries.trained_people(timezone.localdate() - dt.timedelta(days=1)) == 1


def test_training_through_pages_and_api(client, cast, session):
    client.force_login(cast.broker)
    client.post(reverse("talent:enrol", args=[session.pk]))
    e = Enrolment.objects.get()
    page = client.get(reverse("talent:session", args=[session.pk])).content.decode()
    assert 'data-testid="registered"' in page
    client.force_login(cast.reviewer)
    client.post(
        reverse("talent_console:session_results", args=[session.pk]),
        {f"hours-{e.pk}": "32", f"score-{e.pk}": "75"},
    )
    client.post(reverse("talent_console:session_complete", args=[session.pk]))
    assert Certificate.objects.filter(holder=cast.broker, kind="training").exists()
    api = APIClient()
    api.force_authenticate(cast.broker)
    record = api.get("/api/v1/talent/training-record/").json()
    assert record["hours_passed"] == "32.0" and record["certificates"][0]["kind"] == "training"
    assert api.get("/api/v1/talent/figures/").json()["trained_staff"] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_seat_goes_to_exactly_one_of_two_people(cast):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file SQLite database or PostgreSQL")
    from techbridge.talent.models import Course, TrainingBase

    base = TrainingBase.objects.create(name="并发测试基地", host=cast.university)
    course = Course.objects.create(base=base, code="RACE-1", title="并发", hours=8)
    today = timezone.localdate()
    s = TrainingSession.objects.create(
        course=course, starts_on=today, ends_on=today, registration_closes=today, location="南京", capacity=1
    )
    people = [member_of(cast.university, f"racer{i}") for i in range(4)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def worker(user):
        try:
            barrier.wait()
            services.enrol(TrainingSession.objects.get(pk=s.pk), actor=user)
            outcomes.append("in")
        except (TransitionError, ValidationError):
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("in") == 1, outcomes
    s.refresh_from_db()
    assert s.seats_taken == 1 and Enrolment.objects.filter(session=s).count() == 1
