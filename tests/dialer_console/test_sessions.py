"""Sessions are read from Redis when the deployment has one (settings.SESSION_ENGINE)."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.dialer_console.test_settings import _run_django

PRINT_ENGINE = "from django.conf import settings; print(settings.SESSION_ENGINE)"


def test_the_session_engine_is_cached_db_with_redis_and_db_without(tmp_path):
    with_redis = _run_django(PRINT_ENGINE, VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:1/0")
    without = _run_django(PRINT_ENGINE, VAR_DIR=str(tmp_path))
    assert with_redis.returncode == 0, with_redis.stderr
    assert with_redis.stdout.strip() == "django.contrib.sessions.backends.cached_db"
    assert without.stdout.strip() == "django.contrib.sessions.backends.db"


def test_a_page_reads_its_session_from_redis_and_a_logout_ends_it(redis_url, supervisor, client):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    }
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db", CACHES=caches
    ):
        client.force_login(supervisor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/campaigns/").status_code == 200
        assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
        cookie = client.cookies["sessionid"].value
        client.post("/accounts/logout/")
        client.cookies["sessionid"] = cookie
        assert client.get("/campaigns/").status_code == 302
