"""Without a broker, a web server runs slow work on its own task thread, not inside the request."""

from __future__ import annotations

import threading

import pytest

from techbridge.core import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def serving(monkeypatch, settings):
    settings.EMBEDDED_TASKS = "thread"
    monkeypatch.setattr(tasks, "_serving", True)


def test_a_server_process_runs_tasks_after_commit_on_the_task_thread(
    serving, django_capture_on_commit_callbacks
):
    ran: list[str] = []
    done = threading.Event()

    def slow_work(label):
        ran.append(f"{label}@{threading.current_thread().name}")
        done.set()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(slow_work, "valuation")
        assert ran == []  # nothing before the commit

    assert done.wait(10)
    tasks.wait_for_embedded_tasks()
    assert ran == ["valuation@techbridge-tasks"]


def test_a_failing_task_does_not_stop_the_thread(serving, django_capture_on_commit_callbacks):
    ran: list[int] = []

    def boom(n):
        raise RuntimeError(n)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(boom, 1)
        tasks.enqueue(ran.append, 2)
    tasks.wait_for_embedded_tasks()

    assert ran == [2]


def test_commands_run_their_tasks_inline_so_nothing_dies_with_the_process(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EMBEDDED_TASKS = "thread"
    monkeypatch.setattr(tasks, "_serving", False)  # a management command, not a server
    ran: list[str] = []

    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(lambda: ran.append(threading.current_thread().name))

    assert ran == [threading.current_thread().name]
