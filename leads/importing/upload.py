"""Enforce LEAD_UPLOAD_MAX_BYTES while the upload streams in. Django's own size limits
leave file data out, so without this a client could fill the disk."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class LeadUploadLimitHandler(FileUploadHandler):
    """Counts file bytes and stops the upload past the limit. The request is read to the
    end (``connection_reset=False``) so the browser gets the page that says why, and the
    view finds ``request.lead_upload_too_large`` set."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.LEAD_UPLOAD_MAX_BYTES:
            self.request.lead_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int):
        return None


def install_upload_limit(request) -> None:
    """Call before anything reads ``request.POST`` or ``request.FILES``."""
    request.lead_upload_too_large = False
    request.upload_handlers.insert(0, LeadUploadLimitHandler(request))
