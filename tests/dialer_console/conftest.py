import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests sent straight to the WSGI application (schemathesis) run in the test's
    transaction: like Django's test client, keep the request signals from closing the
    database connection, which on PostgreSQL would end that transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
