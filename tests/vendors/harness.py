"""What each vendor gives the shared contract suite (``tests/vendors/test_contract.py``).

Every vendor package registers one ``VendorHarness`` in ``HARNESSES`` below (dotted path
to ``tests/vendors/<kind>/harness.py: HARNESS``). The suite builds the adapter with the
emulator's in-process transport and runs the same behavioural tests over all five.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils.module_loading import import_string

HARNESSES: dict[str, str] = {
    "acefone": "tests.vendors.acefone.harness.HARNESS",
    "voicenter": "tests.vendors.voicenter.harness.HARNESS",
    "webitel": "tests.vendors.webitel.harness.HARNESS",
    "jtel": "tests.vendors.jtel.harness.HARNESS",
    "ozonetel": "tests.vendors.ozonetel.harness.HARNESS",
}


@dataclass(frozen=True)
class VendorHarness:
    kind: str
    # Credentials the emulator accepts, and a set with a wrong secret.
    credentials: dict[str, str]
    wrong_credentials: dict[str, str]
    # A CampaignSpec valid for this vendor (settings as the vendor form's cleaned data).
    campaign_spec: Callable[[], Any]
    # A second spec for the same campaign (e.g. a new description) for update tests.
    campaign_spec_changed: Callable[[], Any]
    # Makes the adapter raise a documented vendor error code: (adapter, emulator, ref) ->
    # None; the call it makes must raise VendorPermanentError carrying the vendor's message.
    trigger_documented_error: Callable[[Any, Any, Any], None]
    # The vendor message text expected in that error.
    documented_error_message: str
    # Vendor account options (non-secret connection settings), if any.
    options: dict[str, Any] = field(default_factory=dict)
    # A lead the emulator accepts, by console lead id (default: an Indian mobile number).
    lead: Callable[[int], Any] | None = None
    # How many campaigns the emulator holds (default: len of its ``campaigns`` or
    # ``dialers``), for the no-duplicate check.
    remote_campaign_count: Callable[[Any], int] | None = None


def load_harness(kind: str) -> VendorHarness:
    return import_string(HARNESSES[kind])


def _landed(kind: str) -> bool:
    """Whether the vendor's adapter, emulator and harness can be imported yet."""
    from vendors.adapters.registry import adapter_class

    try:
        import_string(adapter_class(kind).emulator)
        load_harness(kind)
    except ImportError:
        return False
    return True


def vendor_params() -> list:
    """Every vendor of the registry as a test parameter. A vendor whose package has not
    landed yet is an expected failure (strict=False), only until it lands: then the mark
    disappears by itself and its tests must pass."""
    from vendors.adapters.registry import ADAPTERS

    params = []
    for kind in ADAPTERS:
        marks = ()
        if not _landed(kind):
            marks = pytest.mark.xfail(
                reason=f"the {kind} package has not landed yet", strict=False, run=False
            )
        params.append(pytest.param(kind, marks=marks, id=kind))
    return params
