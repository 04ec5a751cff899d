"""The import's second connection: leads are written while the file is still being read.

Reading (decode, parse, normalise: Python) and writing the leads (heap, indexes, foreign-key
checks: the database's own process) each keep one core busy, so on PostgreSQL they run side
by side. The reader commits each chunk of staged rows with its classification (DNC,
repeats, existing leads) on the worker's connection: the checkpoint a resumed job starts
from. This loader, a thread with a connection of its own, writes the leads of every
committed chunk inside one transaction that commits only when the last chunk is in and the
job is closed. A job is still imported wholly or not at all: if either side stops, that
transaction rolls back and the committed chunks stay staged for the resumed run, whose
loader starts from the first of them.

A thread, not a process: Celery's prefork children cannot start processes, and the thread
mostly waits on the database, which releases the GIL.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable

from django.db import connection, transaction

from leads.importing.load import LoadPlan, Span, staged_span_load, staging_last_id
from leads.models import ImportJob

_DONE, _ABANDON = "done", "abandon"


class _Abandoned(Exception):
    pass


class JobNotRunning(Exception):
    """Raised by a close callback to roll the loader's transaction back: the job ended
    (another worker finished it, or the sweep failed it) while this run was loading."""


class ConcurrentLoader:
    """Runs ``plan_for(job)`` once, ``staged_span_load`` for each committed chunk and then
    ``close(job=, plan=, imported=)``, all in one transaction on the thread's connection."""

    def __init__(
        self,
        *,
        job_id: int,
        plan_for: Callable[[ImportJob], LoadPlan],
        close: Callable[..., object],
    ):
        self.job_id = job_id
        self.plan_for = plan_for
        self.close = close
        self.result: object = None
        self.error: BaseException | None = None
        self._signals: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        # The loader runs in the reader's context: the audit trail's door and acting user
        # (contextvars) are not inherited by a new thread otherwise.
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._run,), name=f"lead-import-{job_id}-loader"
        )

    def start(self) -> None:
        self._thread.start()

    def chunk_committed(self) -> None:
        """Called by the reader after each chunk's commit; raises the loader's error, so
        that a failed load stops the reading."""
        if self.error is not None:
            self._thread.join()
            raise self.error
        self._signals.put(None)

    def finish(self) -> object:
        """Wait for the last chunk to be loaded and the job closed; the close callback's
        result, or None when the job was no longer running."""
        self._signals.put(_DONE)
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.result

    def abandon(self) -> None:
        """Roll everything the loader wrote back and wait for it to stop."""
        self._signals.put(_ABANDON)
        self._thread.join()

    def _run(self) -> None:
        try:
            with transaction.atomic():
                self.result = self._load_all()
        except (_Abandoned, JobNotRunning):
            self.result = None
        except BaseException as error:  # handed to the reader's thread, which raises it
            self.error = error
        finally:
            connection.close()

    def _load_all(self) -> object:
        with connection.cursor() as cursor:
            # Check each chunk's foreign keys as it is written, while the reader is still
            # busy, instead of all of them in the final COMMIT.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Dozens of small statements: compiling each would cost more than it saves.
            cursor.execute("SET LOCAL jit = off")
        job = ImportJob.objects.select_related("lead_list", "acting_user", "created_by").get(
            pk=self.job_id
        )
        plan = self.plan_for(job)
        loaded_up_to, imported = 0, 0
        while True:
            signal = self._signals.get()
            if signal == _ABANDON:
                raise _Abandoned
            last_id = staging_last_id(job_id=self.job_id, after_id=loaded_up_to)
            if last_id is not None:
                span = Span(self.job_id, loaded_up_to, last_id)
                imported += staged_span_load(plan, span, classified=True)
                loaded_up_to = last_id
            if signal == _DONE:
                job.refresh_from_db()  # the reader's counts, since this copy was read
                return self.close(job=job, plan=plan, imported=imported)
