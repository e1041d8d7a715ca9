"""Build or complete the vector index of matching: ``manage.py rebuild_index``.

Queues every published listing whose public passage has no vector yet, then encodes the queue with
``--workers`` processes (default: one per core), each claiming ``--batch`` listings at a time. Stop it
at any moment: the next run resumes (claims of dead local workers are released at once, claims of
other machines once they are older than ``MATCH_CLAIM_TIMEOUT``). Workers on several machines may run
it against the same PostgreSQL database and share the queue. Text whose hash is in the embedding cache
is never encoded again. Keyword matching works throughout; the match page says while vectors build.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

# Worker processes are spawned, not forked: a fork would copy the encoder's threads and locks if this
# process had loaded the model. So this module imports the models lazily; a worker sets Django up first.


def _start_worker(settings_module: str, database: dict[str, Any], threads: int) -> None:
    """Set up Django in a fresh worker process, on the parent's database, with its share of cores."""
    os.environ["MATCHING_ENCODER_THREADS"] = str(threads)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].update(database)  # the same database (under tests: the test one)


def _work(kinds: list[str], batch: int, notify_new: bool) -> dict[str, int]:
    """One worker: claims batches until the queue is empty."""
    from django.db import connections

    from techbridge.matching import services

    try:
        return services.run_worker(kinds, batch=batch, notify_new=notify_new).as_dict()
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Encode the published listings into the vector index of matching, resuming where a previous run "
        "stopped; several workers (and machines) share the work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=["achievement", "demand", "all"], default="all")
        parser.add_argument(
            "--workers", type=int, default=None, help="worker processes (default: the number of cores)"
        )
        parser.add_argument("--batch", type=int, default=32, help="listings claimed at a time (default 32)")
        parser.add_argument(
            "--reset", action="store_true", help="queue every listing again (cached text is not re-encoded)"
        )
        parser.add_argument("--no-notify", action="store_true", help="send no match notifications")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
        parser.add_argument(
            "--no-corpora",
            action="store_true",
            help="do not encode the small corpora of other apps (instruments, investors …)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from techbridge.matching.models import ListingKind

        kinds = list(ListingKind.values) if options["kind"] == "all" else [options["kind"]]
        workers = options["workers"] if options["workers"] is not None else os.cpu_count() or 1
        batch = options["batch"]
        if workers < 1 or batch < 1:
            raise CommandError(_("--workers and --batch must be at least 1."))
        # A TERM (make demo stopping, a deploy) stops the workers too; the next run resumes their work.
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
            try:
                self.rebuild(kinds, workers, batch, options)
            finally:
                signal.signal(signal.SIGTERM, previous)
        else:
            self.rebuild(kinds, workers, batch, options)

    def rebuild(self, kinds: list[str], workers: int, batch: int, options: dict[str, Any]) -> None:
        from tqdm import tqdm

        from techbridge.matching import services
        from techbridge.matching.models import IndexState

        started = time.monotonic()
        show = not options["no_progress"] and options["verbosity"] > 0

        plan = services.plan_rebuild(kinds, reset=options["reset"])
        counts = services.queue_counts(kinds)
        todo = counts[IndexState.PENDING] + counts[IndexState.ENCODING]
        self.stderr.write(
            _(
                "Queued %(queued)s listings, %(unchanged)s unchanged, %(removed)s removed, %(released)s "
                "claims of stopped workers released; %(todo)s to encode with %(workers)s workers."
            )
            % {
                "queued": plan.queued,
                "unchanged": plan.unchanged,
                "removed": plan.removed,
                "released": plan.released,
                "todo": todo,
                "workers": workers,
            }
        )
        bar = tqdm(total=todo, desc=_("encoding"), unit=_("listings"), file=sys.stderr, disable=not show)
        total = services.BatchStats()
        notify_new = not options["no_notify"]
        try:
            if workers == 1:
                total = services.run_worker(
                    kinds, batch=batch, notify_new=notify_new, progress=lambda s: bar.update(s.claimed)
                )
            else:
                total = self._run_pool(kinds, workers, batch, notify_new, bar, todo)
        finally:
            bar.close()

        counts = services.queue_counts(kinds)
        elapsed = time.monotonic() - started
        rate = total.done / elapsed if elapsed else 0.0
        self.stdout.write(
            _(
                "rebuild_index: %(done)s listings indexed (%(encoded)s encoded, %(hits)s from the cache), "
                "%(removed)s removed, %(failed)s failed, %(left)s still queued; %(notified)s notifications; "
                "%(secs).0fs, %(rate).1f listings/s, %(workers)s workers."
            )
            % {
                "done": total.done,
                "encoded": total.encoded,
                "hits": total.cache_hits,
                "removed": total.removed + plan.removed,
                "failed": counts[IndexState.FAILED],
                "left": counts[IndexState.PENDING] + counts[IndexState.ENCODING],
                "notified": total.notified,
                "secs": elapsed,
                "rate": rate,
                "workers": workers,
            }
        )
        if not options["no_corpora"]:
            from techbridge.matching.corpus import warm_corpora

            sizes = warm_corpora()
            self.stdout.write(
                _("Small corpora encoded: %(sizes)s.")
                % {"sizes": ", ".join(f"{name} {n}" for name, n in sizes.items()) or "-"}
            )

    def _run_pool(
        self, kinds: list[str], workers: int, batch: int, notify_new: bool, bar: Any, todo: int
    ) -> Any:
        """Start the workers (each with its own connection) and follow the queue until they finish."""
        from django.conf import settings
        from django.db import connections

        from techbridge.matching import services
        from techbridge.matching.models import IndexState

        threads = max(1, (os.cpu_count() or 1) // workers)
        database = {"NAME": connections["default"].settings_dict["NAME"]}
        context = multiprocessing.get_context("spawn")
        total = services.BatchStats()
        init = (os.environ.get("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE), database, threads)
        with context.Pool(workers, initializer=_start_worker, initargs=init) as pool:
            jobs = [pool.apply_async(_work, (kinds, batch, notify_new)) for _ in range(workers)]
            while not all(job.ready() for job in jobs):
                time.sleep(1.0)
                counts = services.queue_counts(kinds)
                left = counts[IndexState.PENDING] + counts[IndexState.ENCODING]
                bar.update(max(todo - left - bar.n, 0))
            for job in jobs:
                total.add(services.BatchStats(**job.get()))
        bar.update(max(total.claimed - bar.n, 0))
        return total
