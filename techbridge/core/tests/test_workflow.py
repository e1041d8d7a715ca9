"""The review state machine: which moves are allowed, the conditional UPDATE that settles races,
and the audit entry every move writes."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from techbridge.achievements.models import Achievement
from techbridge.core import audit
from techbridge.core.models import AuditEntry
from techbridge.core.workflow import REVIEW_TRANSITIONS, ReviewStatus, TransitionError, transition

STATES = list(ReviewStatus.values)
ALLOWED = [(a, b) for a in STATES for b in STATES if b in REVIEW_TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a in STATES for b in STATES if b not in REVIEW_TRANSITIONS[a]]
# The code each move into a state writes for an achievement (core.listings' review verbs).
MOVE_CODES: dict[str, str] = {
    ReviewStatus.DRAFT: "achievements.achievement.reopened",
    ReviewStatus.SUBMITTED: "achievements.achievement.submitted",
    ReviewStatus.PUBLISHED: "achievements.achievement.published",
    ReviewStatus.REJECTED: "achievements.achievement.rejected",
    ReviewStatus.WITHDRAWN: "achievements.achievement.withdrawn",
    ReviewStatus.EXPIRED: "achievements.achievement.expired",
}


def test_every_state_has_an_entry_and_only_known_targets():
    assert set(REVIEW_TRANSITIONS) == set(STATES)
    for targets in REVIEW_TRANSITIONS.values():
        assert targets <= set(STATES)
    # Nothing moves to the state it is already in, and nothing skips review on the way to the portal.
    assert all(a != b for a, b in ALLOWED)
    assert {a for a, b in ALLOWED if b == ReviewStatus.PUBLISHED} == {ReviewStatus.SUBMITTED}


@pytest.mark.parametrize(("start", "target"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_move_changes_the_row_and_is_audited(make_listing, actor, start, target):
    listing = make_listing(start)
    assert listing.can_move_to(target)

    transition(listing, target, actor=actor, action=MOVE_CODES[target])

    assert listing.status == target
    assert Achievement.objects.get(pk=listing.pk).status == target
    entry = audit.history(listing).get()
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        MOVE_CODES[target],
        start,
        target,
        actor,
    )


@pytest.mark.parametrize(("start", "target"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_forbidden_move_raises_and_changes_nothing(make_listing, actor, start, target):
    listing = make_listing(start)
    assert not listing.can_move_to(target)

    with pytest.raises(TransitionError) as exc:
        transition(listing, target, actor=actor, action=MOVE_CODES[target])

    assert str(exc.value)  # a sentence a person can read, not an empty error
    assert listing.status == start
    assert Achievement.objects.get(pk=listing.pk).status == start
    assert not AuditEntry.objects.exists()


def test_changes_are_saved_with_the_move_and_updated_at_advances(make_listing, actor):
    listing = make_listing(ReviewStatus.SUBMITTED)
    before = timezone.now() - timedelta(days=3)
    Achievement.objects.filter(pk=listing.pk).update(updated_at=before)
    listing.refresh_from_db()

    transition(
        listing,
        ReviewStatus.REJECTED,
        actor=actor,
        action="achievements.achievement.rejected",
        message="缺少专利证书",
        changes={"reject_reason": "缺少专利证书"},
        data={"checked": ["patent"]},
    )

    row = Achievement.objects.get(pk=listing.pk)
    assert (row.status, row.reject_reason) == (ReviewStatus.REJECTED, "缺少专利证书")
    assert row.updated_at > before
    assert listing.reject_reason == "缺少专利证书"  # the object in memory follows the row
    entry = audit.history(listing).get()
    assert (entry.message, entry.data) == ("缺少专利证书", {"checked": ["patent"]})


def test_stale_object_loses_the_race(make_listing, actor, make_user):
    """Two reviewers load the same submitted listing; both act. Exactly one wins."""
    listing = make_listing(ReviewStatus.SUBMITTED)
    first = Achievement.objects.get(pk=listing.pk)
    second = Achievement.objects.get(pk=listing.pk)
    other = make_user("core_reviewer_2")

    transition(first, ReviewStatus.PUBLISHED, actor=actor, action="achievements.achievement.published")
    # ``second`` still believes the listing is submitted, so the state machine lets it try …
    assert second.can_move_to(ReviewStatus.REJECTED)
    # … and the conditional UPDATE finds no row in that state any more.
    with pytest.raises(TransitionError, match=r"Someone else changed this record|刚刚"):
        transition(
            second,
            ReviewStatus.REJECTED,
            actor=other,
            action="achievements.achievement.rejected",
            changes={"reject_reason": "x"},
        )

    row = Achievement.objects.get(pk=listing.pk)
    assert (row.status, row.reject_reason) == (ReviewStatus.PUBLISHED, "")
    assert second.status == ReviewStatus.SUBMITTED  # the loser's object was not touched either
    entries = list(audit.history(listing))
    assert [(e.action, e.actor) for e in entries] == [("achievements.achievement.published", actor)]


def test_same_move_twice_from_stale_objects_wins_once(make_listing, actor):
    listing = make_listing(ReviewStatus.SUBMITTED)
    a, b = Achievement.objects.get(pk=listing.pk), Achievement.objects.get(pk=listing.pk)
    transition(a, ReviewStatus.PUBLISHED, actor=actor, action="achievements.achievement.published")
    with pytest.raises(TransitionError):
        transition(b, ReviewStatus.PUBLISHED, actor=actor, action="achievements.achievement.published")
    assert AuditEntry.objects.filter(action="achievements.achievement.published").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_moves_on_postgresql_exactly_one_wins(make_listing, actor, make_user) -> None:
    """Real concurrency: two threads, two connections, released together by a barrier."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are exercised on PostgreSQL")
    listing = make_listing(ReviewStatus.SUBMITTED)
    other = make_user("core_reviewer_2")
    barrier = threading.Barrier(2, timeout=10)
    outcome: dict[str, str] = {}

    def act(name: str, to: str, who) -> None:
        try:
            obj = Achievement.objects.get(pk=listing.pk)
            barrier.wait()
            transition(obj, to, actor=who, action=name)
            outcome[name] = "won"
        except TransitionError:
            outcome[name] = "lost"
        except Exception as exc:  # pragma: no cover - surfaced by the assertion below
            outcome[name] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=act, args=("achievements.achievement.published", ReviewStatus.PUBLISHED, actor)
        ),
        threading.Thread(
            target=act, args=("achievements.achievement.rejected", ReviewStatus.REJECTED, other)
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)

    assert sorted(outcome.values()) == ["lost", "won"], outcome
    winner = next(name for name, result in outcome.items() if result == "won")
    row = Achievement.objects.get(pk=listing.pk)
    assert MOVE_CODES[row.status] == winner
    assert list(audit.history(listing).values_list("action", flat=True)) == [winner]


def test_audit_entry_records_actor_states_and_target(make_listing, actor):
    listing = make_listing(ReviewStatus.DRAFT)
    transition(listing, ReviewStatus.SUBMITTED, actor=actor, action="achievements.achievement.submitted")
    transition(listing, ReviewStatus.PUBLISHED, actor=actor, action="achievements.achievement.published")

    entries = list(audit.history(listing))
    assert [(e.action, e.from_state, e.to_state) for e in entries] == [
        ("achievements.achievement.published", ReviewStatus.SUBMITTED, ReviewStatus.PUBLISHED),
        ("achievements.achievement.submitted", ReviewStatus.DRAFT, ReviewStatus.SUBMITTED),
    ]
    assert all(e.actor == actor for e in entries)
    assert entries[0].target == listing
    assert entries[0].object_id == str(listing.pk)


def test_audit_of_anonymous_or_system_actor_stores_no_user(make_listing):
    from django.contrib.auth.models import AnonymousUser

    listing = make_listing(ReviewStatus.PUBLISHED)
    transition(
        listing,
        ReviewStatus.EXPIRED,
        actor=None,
        action="achievements.achievement.expired",
        message="截止日期已过",
    )
    entry = audit.record(listing, "achievements.achievement.nda_accepted", actor=AnonymousUser())

    assert entry.actor is None
    expired = audit.history(listing).get(action="achievements.achievement.expired")
    assert (expired.actor, expired.message) == (None, "截止日期已过")


def test_audit_history_is_per_record(make_listing, actor):
    one, two = make_listing(ReviewStatus.DRAFT), make_listing(ReviewStatus.DRAFT)
    transition(one, ReviewStatus.SUBMITTED, actor=actor, action="achievements.achievement.submitted")
    audit.record(two, "achievements.achievement.edited", actor=actor, data={"fields": ["title"]})

    assert [e.action for e in audit.history(one)] == ["achievements.achievement.submitted"]
    assert [(e.action, e.data) for e in audit.history(two)] == [
        ("achievements.achievement.edited", {"fields": ["title"]})
    ]


# ---- guards, many at once, and the state a record is born in ------------------------------------


def test_guard_and_expressions_are_part_of_the_conditional_update(make_listing, actor):
    from django.db.models import F, Q

    listing = make_listing(ReviewStatus.SUBMITTED)
    with pytest.raises(TransitionError):  # the guard does not hold: nothing moves, nothing is audited
        transition(
            listing,
            ReviewStatus.PUBLISHED,
            actor=actor,
            action=MOVE_CODES[ReviewStatus.PUBLISHED],
            guard=Q(title="another title"),
        )
    assert Achievement.objects.get(pk=listing.pk).status == ReviewStatus.SUBMITTED
    assert not AuditEntry.objects.exists()
    transition(
        listing,
        ReviewStatus.PUBLISHED,
        actor=actor,
        action=MOVE_CODES[ReviewStatus.PUBLISHED],
        guard=Q(title=listing.title),
        changes={"title": F("title")},
    )
    assert listing.status == ReviewStatus.PUBLISHED
    assert listing.title == Achievement.objects.get(pk=listing.pk).title  # an expression is read back


def test_transition_many_moves_the_rows_that_may_move_and_audits_each(make_listing, actor):
    from techbridge.core.workflow import transition_many

    draft, submitted, published = (
        make_listing(ReviewStatus.DRAFT),
        make_listing(ReviewStatus.SUBMITTED),
        make_listing(ReviewStatus.PUBLISHED),
    )
    rejected = make_listing(ReviewStatus.REJECTED)
    moved = transition_many(
        Achievement.objects.all(),
        ReviewStatus.WITHDRAWN,
        actor=actor,
        action=MOVE_CODES[ReviewStatus.WITHDRAWN],
        message="批量撤回",
    )
    assert moved == 4
    assert set(Achievement.objects.values_list("status", flat=True)) == {ReviewStatus.WITHDRAWN}
    entries = {e.object_id: e for e in AuditEntry.objects.all()}
    for obj, start in (
        (draft, ReviewStatus.DRAFT),
        (submitted, ReviewStatus.SUBMITTED),
        (published, ReviewStatus.PUBLISHED),
        (rejected, ReviewStatus.REJECTED),
    ):
        e = entries[str(obj.pk)]
        assert (e.action, e.from_state, e.to_state, e.message) == (
            MOVE_CODES[ReviewStatus.WITHDRAWN],
            start,
            ReviewStatus.WITHDRAWN,
            "批量撤回",
        )
    # Withdrawn listings may only go back to draft: a second run finds nothing to move.
    again = transition_many(
        Achievement.objects.all(),
        ReviewStatus.WITHDRAWN,
        actor=actor,
        action=MOVE_CODES[ReviewStatus.WITHDRAWN],
    )
    assert again == 0


def test_a_record_is_born_only_in_an_initial_state_and_its_birth_is_audited(org, actor):
    from techbridge.core.workflow import record_created, set_initial_state

    listing = Achievement(title="新成果", owner=org, created_by=actor)
    with pytest.raises(TransitionError):
        set_initial_state(listing, ReviewStatus.SUBMITTED)  # reached only through review
    set_initial_state(listing, ReviewStatus.PUBLISHED, published_at=timezone.now())
    assert listing.status == ReviewStatus.PUBLISHED and listing.published_at
    listing.save()
    with pytest.raises(TransitionError):
        set_initial_state(listing, ReviewStatus.DRAFT)  # saved: only transitions from now on
    deferred: list = []
    record_created(listing, actor=actor, action="achievements.achievement.imported", defer=deferred)
    assert not AuditEntry.objects.exists() and len(deferred) == 1
    audit.record_many(deferred)
    entry = audit.history(listing).get()
    assert (entry.action, entry.from_state, entry.to_state) == (
        "achievements.achievement.imported",
        "",
        ReviewStatus.PUBLISHED,
    )
