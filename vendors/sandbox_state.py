"""Where the sandbox keeps its emulators' state: one ``SandboxState`` row per vendor kind,
so that every web process (gunicorn workers, runserver threads, the standalone server)
answers from the same dialer.

A request runs in a transaction that locks its kind's row (``select_for_update``; SQLite
serialises writers anyway), loads the state unless this process holds the same revision
already, lets the emulator answer and saves the state under a new revision. The process
keeps its last emulator, so a run of requests served by one process loads nothing.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from vendors.adapters.emulation import BaseEmulator
from vendors.adapters.registry import ADAPTERS, adapter_class
from vendors.models import SandboxState

INITIAL_REVISION = ""

# This process's emulators and the revision of the shared state each one holds. A
# benchmark may seed an emulator here (e.g. on a sped-up clock) before the first request:
# at the initial revision it is taken as the dialer's initial state.
_emulators: dict[str, BaseEmulator] = {}
_revisions: dict[str, str] = {}
_process_lock = threading.Lock()


class SandboxUnknownVendor(LookupError):
    pass


def sandbox_credentials(kind: str) -> dict[str, str]:
    """The credentials the sandbox's emulator of ``kind`` accepts (its SANDBOX_CREDENTIALS)."""
    emulator_class = emulator_class_of(kind)
    return dict(sys.modules[emulator_class.__module__].SANDBOX_CREDENTIALS)


def emulator_class_of(kind: str) -> type[BaseEmulator]:
    if kind not in ADAPTERS:
        raise SandboxUnknownVendor(kind)
    try:
        return import_string(adapter_class(kind).emulator)
    except ImportError as exc:
        raise SandboxUnknownVendor(kind) from exc


def _fresh_emulator(kind: str) -> BaseEmulator:
    # Wall-clock time, so token expiries and rate windows saved by one machine's process
    # mean the same to another's (time.monotonic has a per-boot origin).
    return emulator_class_of(kind)(
        credentials=sandbox_credentials(kind),
        clock=time.time,
        guessed_extras=settings.VENDOR_SANDBOX_GUESSED_EXTRAS,
    )


def _emulator_at(kind: str, revision: str) -> BaseEmulator:
    """This process's emulator of ``kind``, brought to the shared ``revision``."""
    with _process_lock:
        emulator = _emulators.get(kind)
        if emulator is not None and _revisions.get(kind, INITIAL_REVISION) == revision:
            return emulator
        if emulator is None or revision == INITIAL_REVISION:
            emulator = _fresh_emulator(kind)
        if revision != INITIAL_REVISION:
            stored = SandboxState.objects.values_list("state", flat=True).get(kind=kind)
            emulator.state_load(bytes(stored))
        _emulators[kind] = emulator
        _revisions[kind] = revision
        return emulator


def _forget(kind: str) -> None:
    with _process_lock:
        _emulators.pop(kind, None)
        _revisions.pop(kind, None)


@contextmanager
def sandbox_state(kind: str) -> Iterator[BaseEmulator]:
    """The shared emulator of ``kind``, locked for the block and saved after it. Whatever
    the block changes (dialers, leads, faults, counters) every process sees next."""
    emulator_class_of(kind)
    try:
        with transaction.atomic():
            SandboxState.objects.get_or_create(kind=kind)
            revision = (
                SandboxState.objects.select_for_update()
                .values_list("revision", flat=True)
                .get(kind=kind)
            )
            emulator = _emulator_at(kind, revision)
            yield emulator
            new_revision = uuid.uuid4().hex
            SandboxState.objects.filter(kind=kind).update(
                revision=new_revision, state=emulator.state_dump()
            )
            _revisions[kind] = new_revision
    except BaseException:
        # The emulator may hold changes the rollback took back from the shared state.
        _forget(kind)
        raise


def sandbox_emulator(kind: str) -> BaseEmulator:
    """A snapshot of the shared emulator of ``kind``, for reading (tests, diagnostics)."""
    with sandbox_state(kind) as emulator:
        return emulator


def sandbox_reset(kind: str | None = None) -> None:
    """Forget the emulators' state (all kinds, or one), in every process."""
    rows = SandboxState.objects.all() if kind is None else SandboxState.objects.filter(kind=kind)
    rows.delete()
    with _process_lock:
        for name in [kind] if kind else list(_emulators):
            _emulators.pop(name, None)
            _revisions.pop(name, None)
