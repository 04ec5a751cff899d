"""The error ladder every adapter raises, and the sync job reads.

- ``VendorTemporaryError``: timeouts, connection failures, 429 and 5xx. Retry with backoff;
  ``retry_after`` carries the vendor's Retry-After in seconds when it sent one.
- ``VendorPermanentError``: other 4xx and documented vendor error codes. Stop and show.
- ``VendorConfigurationError``: 401/403 and bad credentials. Mark the account unhealthy
  and hold its jobs until someone fixes it.
- ``VendorProtocolError``: a reply of the wrong shape (not JSON, missing keys). Treated as
  temporary by the sync job a few times, then flagged: a vendor answering nonsense is
  usually a deploy on their side.

Every error carries the vendor's own words (``vendor_message``, ``vendor_code``) so the
page can show what the dialer said, never a secret.
"""

from __future__ import annotations


class VendorError(Exception):
    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        vendor_code: str | int | None = None,
        vendor_message: str = "",
        status_code: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.vendor_code = vendor_code
        self.vendor_message = vendor_message
        self.status_code = status_code

    def __str__(self) -> str:
        return self.message


class VendorTemporaryError(VendorError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class VendorPermanentError(VendorError):
    pass


class VendorConfigurationError(VendorError):
    pass


class VendorProtocolError(VendorError):
    retryable = True


class VendorRemoteIdUnknown(VendorPermanentError):
    """The dialer performed a create but its reply named no id, and the vendor's documented
    means of finding the object (jtel by name, a list call) did not find it either.

    The object exists on the dialer: the caller records "created on the dialer, id unknown"
    and never creates it again; a supervisor links it by entering the vendor's id.
    ``extra`` holds what the adapter still knows to address it (a lead-list id, a name)."""

    def __init__(self, message: str, *, extra: dict[str, str] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.extra = dict(extra or {})
