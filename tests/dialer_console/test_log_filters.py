"""A 403 is logged as one line, without the PermissionDenied traceback."""

import io
import logging

import pytest
from django.urls import reverse


@pytest.fixture
def console_log():
    """What the console handler of ``settings.LOGGING`` writes, captured."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_403_is_one_log_line(team_lead_client, console_log):
    response = team_lead_client.get(reverse("campaigns:create"))
    assert response.status_code == 403
    lines = [line for line in console_log.getvalue().splitlines() if line.strip()]
    forbidden = [line for line in lines if "Forbidden" in line]
    assert len(forbidden) == 1, lines
    assert "Traceback" not in console_log.getvalue()


@pytest.mark.django_db
def test_other_errors_keep_their_traceback(console_log):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in console_log.getvalue()
