"""Schemathesis over every API operation, as every role: no reply is a 5xx, and every
reply (status, content type, body) is what /api/schema/ documents.

The requests go through Django's WSGI application in the test's own thread rather than
over a socket to ``live_server``: the whole request path (middleware, authentication,
CSRF, exception handling, error pages) is the same, but every request runs inside the
test's transaction, so what the fuzzer creates, changes or deletes is rolled back, and
``on_commit`` hooks never fire: no Celery task is sent and no dialer is called. Nor is a
port, a thread or a flushed database needed, which keeps the run inside CI's budget on
two cores.

Bounded for CI: ``FUZZ_MAX_EXAMPLES`` generated cases per operation and role (default 5,
on top of the schema's examples), derandomised with a fixed seed so a run is repeatable.
A longer local run: ``FUZZ_MAX_EXAMPLES=200 .venv/bin/pytest -m fuzz``.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.cache import cache
from django.utils.timezone import now
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from campaigns.services import calling_window_save
from leads.models import ImportJob
from sync.models import SyncJob
from sync.services import jobs
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import (
    AgentFactory,
    PauseCodeListFactory,
    disposition_list_with_codes,
)
from tests.dialer_console.schema_calls import (
    Credentials,
    api_schema,
    call_and_validate,
    call_operation,
    session_credentials,
    token_credentials,
)
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory
from tests.sync.factories import campaign_on
from tests.vendors.fixtures import emulated_account

pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.django_db,
    pytest.mark.usefixtures("wsgi_in_test_transaction"),
]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))
VENDOR_KINDS = ("acefone", "voicenter", "webitel", "jtel", "ozonetel")


@pytest.fixture(scope="module")
def fuzz_schema():
    return api_schema(
        config={
            "seed": 20261203,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "no-shrink": True,
                # Credentials come from the role's fixture, not from the fuzzer.
                "with-security-parameters": False,
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": False},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    )


@dataclass
class World:
    """What one role sees: its credentials (and how to get new ones), and ids of real
    objects of each kind so that some requests reach an object instead of a 404."""

    login: Callable[[], Credentials]
    ids: dict[str, int]
    credentials: Credentials = field(init=False)

    def __post_init__(self):
        self.credentials = self.login()


def _objects(team, monkeypatch) -> dict[str, int]:
    """One of everything the API names by id, on the team, with accounts on in-process
    emulators (the fuzzer cannot reach a real dialer)."""
    accounts = [emulated_account(kind, monkeypatch=monkeypatch)[0] for kind in VENDOR_KINDS]
    lead_list = LeadListFactory(team=team)
    leads = [LeadFactory(lead_list=lead_list) for _ in range(3)]
    campaigns = [campaign_on(account, lead_list=lead_list) for account in accounts]
    campaigns[0].team = team
    campaigns[0].disposition_list = disposition_list_with_codes()
    campaigns[0].save()
    import_job = ImportJob.objects.create(lead_list=lead_list, original_name="fuzz.csv")
    job = SyncJob.objects.create(
        account=accounts[0], operation="campaign_sync", campaign=campaigns[0], not_before=now()
    )
    return {
        "agents": AgentFactory(team=team).pk,
        "campaigns": campaigns[0].pk,
        "leads": leads[0].pk,
        "lead-lists": lead_list.pk,
        "imports": import_job.pk,
        "dnc-entries": DncEntryFactory().pk,
        "disposition-lists": campaigns[0].disposition_list_id,
        "pause-code-lists": PauseCodeListFactory().pk,
        "calling-windows": _calling_window().pk,
        "jobs": job.pk,
    }


def _calling_window():
    return calling_window_save(
        calling_window=None,
        fields={"name": "Office hours"},
        days=[{"weekday": 0, "start": "08:00", "end": "18:00"}],
        holidays=[],
    )


def _world(schema, role: str, monkeypatch) -> World:
    team = TeamFactory()
    user = UserFactory(role=role, team=team)
    login = token_credentials if role == "API consumer" else session_credentials
    world = World(login=functools.partial(login, user), ids=_objects(team, monkeypatch))
    # Credentials that did not work would leave nothing but documented 401s to check.
    reply = call_operation(schema, "GET", "/api/v1/campaigns/", world.credentials)
    assert reply.status_code == 200, reply.text
    return world


@pytest.fixture(autouse=True)
def _isolated(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Sync jobs are recorded, never handed to a broker.
    monkeypatch.setattr(jobs, "_publish", lambda job_id, countdown=0: None)
    yield
    # The login throttle counts in the cache; later tests start from nothing.
    cache.clear()


@pytest.fixture
def supervisor_world(fuzz_schema, monkeypatch) -> World:
    return _world(fuzz_schema, "Supervisor", monkeypatch)


@pytest.fixture
def team_lead_world(fuzz_schema, monkeypatch) -> World:
    return _world(fuzz_schema, "Team lead", monkeypatch)


@pytest.fixture
def api_consumer_world(fuzz_schema, monkeypatch) -> World:
    return _world(fuzz_schema, "API consumer", monkeypatch)


def _with_real_ids(case, ids: dict[str, int]) -> None:
    """Send every other case to a real object: by a stable hash of the generated values,
    so the choice is as repeatable as the generation."""
    if not case.path_parameters:
        return
    parts = case.path.strip("/").split("/")
    for name, value in list(case.path_parameters.items()):
        if zlib.crc32(repr(value).encode()) % 2:
            continue
        placeholder = "{" + name + "}"
        if placeholder not in parts:
            continue
        resource = parts[parts.index(placeholder) - 1]
        key = "leads" if name == "lead_id" else resource
        if key in ids:
            case.path_parameters[name] = ids[key]


api = schemathesis.pytest.from_fixture("fuzz_schema")


def _call_and_validate(case, world: World) -> None:
    _with_real_ids(case, world.ids)
    call_and_validate(case, world.credentials)
    if case.path.startswith("/api/v1/auth/token/revoke"):
        # The token may be gone now; the operations after this one need a live one.
        world.credentials = world.login()


# One test per role (schemathesis' lazy schemas take fixtures, not parametrize).
FUZZ_SETTINGS = hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck))


@api.parametrize()
@FUZZ_SETTINGS
def test_api_as_supervisor(case, supervisor_world):
    _call_and_validate(case, supervisor_world)


@api.parametrize()
@FUZZ_SETTINGS
def test_api_as_team_lead(case, team_lead_world):
    _call_and_validate(case, team_lead_world)


@api.parametrize()
@FUZZ_SETTINGS
def test_api_as_api_consumer(case, api_consumer_world):
    _call_and_validate(case, api_consumer_world)
