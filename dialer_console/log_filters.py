"""Logging filters of the project (wired in ``settings.LOGGING``)."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request is routine, not a fault: Django logs each 403 with the
    PermissionDenied traceback, 20 lines that bury the log. Keep the one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
