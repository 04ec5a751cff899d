"""Suite-wide fixtures.

- Outbound network is blocked for the whole suite except loopback (pytest-socket's
  ``--allow-hosts`` in pyproject.toml).
- With ``CI=true`` a test that needs PostgreSQL or Redis fails instead of skipping.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.accounts.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(name: str, available: bool) -> None:
    """Skip a test whose service is missing, except in CI where that is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI but is not available.")
    pytest.skip(f"{name} is not available")


def pytest_sessionstart(session):
    """The translations' .mo files (not in git) from the committed .po files, when one is
    missing or older than its .po: a bare ``pytest`` sees the catalogs ``dev.py test``
    would have compiled."""
    import polib

    for po in (settings.BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))


def pytest_collection_modifyitems(config, items):
    """Browser journeys run last: they need DJANGO_ALLOW_ASYNC_UNSAFE, which must not be
    set while any other test runs."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, request, tmp_path_factory
):
    """When browser journeys run on SQLite, the test database is a file (WAL, busy
    timeout), as the embedded console's is: the live server, the Celery worker and the
    test thread then each hold their own connection. Django's shared in-memory database
    locks whole tables and answers "database table is locked" (SQLITE_LOCKED, which no
    busy timeout waits out) the moment two of them meet: the worker's import then failed
    while the live server answered the page's poll, and the journey waited in vain."""
    database = settings.DATABASES["default"]
    # `dev.py test` runs the browser journeys in a second process beside the rest: on
    # PostgreSQL they get a test database of their own.
    suffix = os.environ.get("DC_TEST_DB_SUFFIX")
    if suffix and not database["ENGINE"].endswith("sqlite3"):
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{suffix}"
    journeys = any(item.get_closest_marker("e2e") for item in request.session.items)
    if database["ENGINE"].endswith("sqlite3") and journeys:
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_manifest():
    """With DEBUG off (CI, any DATABASE_URL) settings pick the manifest storage, whose
    hashed names exist only after ``collectstatic``; tests render pages from the source
    files instead, as the live server serves them (through the finders)."""
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}):
        yield


@pytest.fixture
def require_postgres(db):
    require_service("PostgreSQL", connection.vendor == "postgresql")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        url = os.environ.get("REDIS_URL", "")
    available = False
    if url.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            available = True
        except redis.RedisError:
            available = False
    require_service("Redis", available)
    return url


@pytest.fixture
def supervisor(db):
    return UserFactory(role="Supervisor")


@pytest.fixture
def team_lead(db):
    return UserFactory(role="Team lead", with_team=True)


@pytest.fixture
def api_consumer(db):
    return UserFactory(role="API consumer", with_team=True)


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def team_lead_client(client, team_lead):
    client.force_login(team_lead)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _english_around_each_test():
    """Each test starts and ends in the default language. A request with Accept-Language
    leaves its language active in the thread (LocaleMiddleware activates it and nothing
    deactivates it), so without this a German request made every later test in the
    worker see German messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every test user's password is hashed with a fast hasher: the production hasher
    costs ~0.3 s a user, which made a test that creates 60 users take 18 s."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _push_counts_kept(request):
    """After every test that used the database, each campaign's kept push counts equal
    its push rows: a new path that changes a row's state without moving the counts
    (``sync.push_counts``) fails whichever test drives it. The database fixture is taken
    here so that the check runs before its rollback."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in names or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    uses_db = transactional or "db" in names or marker is not None
    if not uses_db or request.node.get_closest_marker("e2e"):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from tests.sync.push_counts_check import push_counts_mismatches

    mismatches = push_counts_mismatches()
    assert not mismatches, f"kept push counts differ from the rows: {mismatches}"
