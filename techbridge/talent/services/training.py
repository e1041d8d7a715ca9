"""Training: bases, courses and sessions (staff), registration with a capacity that holds under
concurrency, attendance and exams, and the certificates issued when a session is completed.

A participant passes when they attended at least ``ATTENDANCE_SHARE`` (80 %) of the course's hours and,
if the course ends with an exam, scored at least its pass mark; they then receive a technology-transfer
training certificate (verified: the platform issued it), numbered ``<base code>-<year>-<serial>``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import TransitionError, transition

from ..choices import CertificateKind, CertificateStatus, EnrolmentStatus, SessionStatus
from ..models import MAX_HOURS, Certificate, Course, Enrolment, TrainingBase, TrainingSession
from ._common import require_staff, text, value

ATTENDANCE_SHARE = Decimal("0.8")
MAX_RESULT_ROWS = 500


def save_base(*, actor: Any, data: dict[str, Any], base: TrainingBase | None = None) -> TrainingBase:
    """Create or change a training base (staff)."""
    require_staff(actor)
    created = base is None
    base = base or TrainingBase()
    base.name = text(data.get("name"), "name", 100, required=True)
    base.host = value(data, "host")
    base.description = text(data.get("description"), "description", 3000)
    base.designated_on = data.get("designated_on")
    base.active = bool(data.get("active", True))
    if base.host is None:
        raise ValidationError({"host": _("Name the organisation that hosts the base.")})
    base.full_clean()
    with transaction.atomic():
        base.save()
        audit.record(
            base, "talent.training_base.created" if created else "talent.training_base.updated", actor=actor
        )
    return base


def save_course(*, actor: Any, data: dict[str, Any], course: Course | None = None) -> Course:
    """Create or change a course (staff). Hours 1–200; pass mark 0–100."""
    require_staff(actor)
    created = course is None
    course = course or Course()
    course.base = value(data, "base")
    course.code = text(data.get("code"), "code", 30, required=True)
    course.title = text(data.get("title"), "title", 200, required=True)
    course.description = text(data.get("description"), "description", 3000)
    course.hours = value(data, "hours")
    course.has_exam = bool(data.get("has_exam", True))
    course.pass_mark = data.get("pass_mark", 60)
    course.published = bool(data.get("published", True))
    course.full_clean()
    with transaction.atomic():
        course.save()
        audit.record(course, "talent.course.created" if created else "talent.course.updated", actor=actor)
    return course


def create_session(*, actor: Any, course: Course, data: dict[str, Any]) -> TrainingSession:
    """Schedule a session of ``course`` (staff): dates, location and capacity (1–500)."""
    require_staff(actor)
    session = TrainingSession(
        course=course,
        starts_on=value(data, "starts_on"),
        ends_on=value(data, "ends_on"),
        registration_closes=value(data, "registration_closes"),
        location=text(data.get("location"), "location", 200, required=True),
        capacity=value(data, "capacity"),
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit.record(session, "talent.session.created", actor=actor, to_state=session.status)
    return session


def set_registration_open(session: TrainingSession, *, actor: Any, open_: bool) -> TrainingSession:
    require_staff(actor)
    transition(
        session,
        SessionStatus.OPEN if open_ else SessionStatus.CLOSED,
        actor=actor,
        action="talent.session.reopened" if open_ else "talent.session.closed",
    )
    return session


def enrol(session: TrainingSession, *, actor: Any) -> Enrolment:
    """Register the actor for the session: a seat is claimed by a conditional UPDATE, so the capacity
    holds when many register at once; one registration per person."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to register."))
    if session.status != SessionStatus.OPEN:
        raise TransitionError(_("Registration for this session is closed."))
    if session.registration_closes < timezone.localdate():
        raise TransitionError(
            _("Registration for this session closed on %(date)s.") % {"date": session.registration_closes}
        )
    if (
        Enrolment.objects.filter(session=session, user=actor)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("You are already registered for this session."))
    try:
        with transaction.atomic():
            claimed = TrainingSession.objects.filter(
                pk=session.pk, status=SessionStatus.OPEN, seats_taken__lt=F("capacity")
            ).update(seats_taken=F("seats_taken") + 1)
            if claimed != 1:
                raise TransitionError(_("The session is full."))
            enrolment = Enrolment.objects.create(session=session, user=actor)
            audit.record(enrolment, "talent.enrolment.registered", actor=actor, to_state=enrolment.status)
    except IntegrityError:
        raise ValidationError(_("You are already registered for this session.")) from None
    session.refresh_from_db(fields=["seats_taken"])
    return enrolment


def cancel_enrolment(enrolment: Enrolment, *, actor: Any) -> Enrolment:
    """The participant (before the session starts) or staff cancel a registration; the seat is freed."""
    own = getattr(actor, "pk", None) == enrolment.user_id
    if not (own or is_staff_reviewer(actor)):
        raise PermissionDenied(_("Only the participant or platform staff can cancel this registration."))
    if own and not is_staff_reviewer(actor) and enrolment.session.starts_on <= timezone.localdate():
        raise TransitionError(_("The session has started; ask the organisers to cancel your registration."))
    with transaction.atomic():
        transition(enrolment, EnrolmentStatus.CANCELLED, actor=actor, action="talent.enrolment.cancelled")
        TrainingSession.objects.filter(pk=enrolment.session_id, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1
        )
    return enrolment


def _decimal(value: Any, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not d.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return d


def record_results(session: TrainingSession, *, actor: Any, rows: list[dict[str, Any]]) -> int:
    """Record hours attended and exam scores (staff): ``[{enrolment, hours, exam_score}]``.

    Hours lie between 0 and the course's hours; scores between 0 and 100. The whole list is refused
    when one row is wrong (the message names the participant). Returns the number of rows changed.
    """
    require_staff(actor)
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise TransitionError(_("This session is over; its results can no longer change."))
    if len(rows) > MAX_RESULT_ROWS:
        raise ValidationError(_("At most %(n)s rows at once.") % {"n": MAX_RESULT_ROWS})
    enrolments = {
        e.pk: e for e in session.enrolments.filter(status=EnrolmentStatus.REGISTERED).select_related("user")
    }
    limit = min(session.course.hours, MAX_HOURS)
    changed: list[Enrolment] = []
    for row in rows:
        e = enrolments.get(int(row.get("enrolment") or 0))
        if e is None:
            raise ValidationError(_("A row names a participant who is not registered for this session."))
        hours = _decimal(row.get("hours") if row.get("hours") not in (None, "") else "0", "hours")
        if hours < 0 or hours > limit:
            raise ValidationError(
                _("%(name)s: hours must lie between 0 and %(max)s.")
                % {"name": e.user.display_name, "max": limit}
            )
        score = row.get("exam_score")
        if score in (None, ""):
            score = None
        else:
            try:
                score = int(score)
            except (TypeError, ValueError):
                score = -1
            if not 0 <= score <= 100:
                raise ValidationError(
                    _("%(name)s: the exam score must lie between 0 and 100.") % {"name": e.user.display_name}
                )
        if e.hours != hours or e.exam_score != score:
            e.hours, e.exam_score, e.updated_at = hours, score, timezone.now()
            changed.append(e)
    with transaction.atomic():
        Enrolment.objects.bulk_update(changed, ["hours", "exam_score", "updated_at"])
        if changed:
            audit.record(session, "talent.session.results_recorded", actor=actor, data={"rows": len(changed)})
    return len(changed)


def passes(enrolment: Enrolment, course: Course) -> bool:
    """The pass rule (module docstring)."""
    if enrolment.hours < course.hours * ATTENDANCE_SHARE:
        return False
    if course.has_exam:
        return enrolment.exam_score is not None and enrolment.exam_score >= course.pass_mark
    return True


def _next_numbers(prefix: str, issuer: str, count: int) -> list[str]:
    taken = set(
        Certificate.objects.filter(issuer=issuer, number__startswith=prefix).values_list("number", flat=True)
    )
    out: list[str] = []
    n = len(taken)
    while len(out) < count:
        n += 1
        number = f"{prefix}{n:05d}"
        if number not in taken:
            out.append(number)
    return out


def complete_session(session: TrainingSession, *, actor: Any) -> dict[str, int]:
    """Close the session once it has ended (staff): everyone registered passes or not by the rule, and
    those who pass receive their training certificate. Returns ``{passed, failed}``."""
    require_staff(actor)
    if session.ends_on > timezone.localdate():
        raise TransitionError(
            _("A session is completed after its last day (%(date)s).") % {"date": session.ends_on}
        )
    course = session.course
    issuer = course.base.name[:100]
    prefix = f"TT{session.ends_on:%Y}-{course.base_id:03d}-"
    result = {"passed": 0, "failed": 0}
    with transaction.atomic():
        transition(
            session,
            SessionStatus.COMPLETED,
            actor=actor,
            action="talent.session.completed",
            changes={"completed_at": timezone.now()},
        )
        enrolments = list(session.enrolments.filter(status=EnrolmentStatus.REGISTERED).select_related("user"))
        winners = [e for e in enrolments if passes(e, course)]
        numbers = iter(_next_numbers(prefix, issuer, len(winners)))
        now = timezone.now()
        for e in enrolments:
            if e in winners:
                cert = Certificate.objects.create(
                    holder=e.user,
                    kind=CertificateKind.TRAINING,
                    number=next(numbers),
                    issuer=issuer,
                    issued_on=session.ends_on,
                    session=session,
                    status=CertificateStatus.VERIFIED,
                    verified_by=actor,
                    verified_at=now,
                )
                audit.record(
                    cert,
                    "talent.certificate.issued",
                    actor=actor,
                    to_state=cert.status,
                    data={"session": session.pk},
                )
                transition(
                    e,
                    EnrolmentStatus.PASSED,
                    actor=actor,
                    action="talent.enrolment.passed",
                    changes={"certificate": cert},
                )
                notifications.notify(
                    e.user,
                    kind="talent",
                    title=_("You passed %(course)s: certificate %(number)s")
                    % {"course": course.title, "number": cert.number},
                    link=reverse("talent:training_mine"),
                )
                result["passed"] += 1
            else:
                transition(e, EnrolmentStatus.FAILED, actor=actor, action="talent.enrolment.failed")
                result["failed"] += 1
    return result
