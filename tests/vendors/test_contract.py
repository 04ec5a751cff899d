"""One behavioural contract, run over every vendor of the registry with its harness
(``tests/vendors/<kind>/harness.py``) against its emulator, through the real adapter
factory, client builder and call log."""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.vendors.fixtures import emulated_account, emulator_for
from tests.vendors.harness import VendorHarness, load_harness, vendor_params
from vendors.adapters.emulation import Fault
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorError,
    VendorPermanentError,
    VendorProtocolError,
    VendorRemoteIdUnknown,
    VendorTemporaryError,
)
from vendors.adapters.registry import adapter_class
from vendors.adapters.types import Capability, LeadRecord, RemoteRef
from vendors.models import VendorCall
from vendors.services import vendor_adapter

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("kind", vendor_params())]


# Every test runs twice per vendor: against the documented replies only, and with the
# emulator's guessed extras (its GUESSED_EXTRAS) switched on.
@pytest.fixture(params=[False, True], ids=["documented", "guessed-extras"])
def extras(request) -> bool:
    return request.param


def _lead(harness: VendorHarness, lead_id: int) -> LeadRecord:
    if harness.lead is not None:
        return harness.lead(lead_id)
    return LeadRecord(lead_id=lead_id, phone=f"+9198765{lead_id:05d}", first_name="Lead")


def _campaign_count(harness: VendorHarness, emulator) -> int:
    if harness.remote_campaign_count is not None:
        return harness.remote_campaign_count(emulator)
    for attribute in ("campaigns", "dialers"):
        if hasattr(emulator, attribute):
            return len(getattr(emulator, attribute))
    raise AssertionError("The harness must say how to count the emulator's campaigns.")


def _adapter(kind, monkeypatch, extras: bool, *, wrong: bool = False, emulator=None):
    harness = load_harness(kind)
    emulator = emulator or emulator_for(
        kind, credentials={**harness.options, **harness.credentials}, guessed_extras=extras
    )
    credentials = harness.wrong_credentials if wrong else harness.credentials
    account, emulator = emulated_account(
        kind,
        monkeypatch=monkeypatch,
        emulator=emulator,
        account_credentials={**harness.options, **credentials},
    )
    return harness, vendor_adapter(account=account), emulator


def _create(adapter, harness: VendorHarness, emulator) -> RemoteRef:
    """campaign_create; when the dialer created the campaign without telling its id, do
    what the supervisor does on the campaign page: link the one new campaign by its id."""
    before = set(_campaign_ids(emulator))
    try:
        return adapter.campaign_create(harness.campaign_spec())
    except VendorRemoteIdUnknown as exc:
        new = set(_campaign_ids(emulator)) - before
        assert len(new) == 1, "the dialer must hold the campaign it did not name"
        return RemoteRef(remote_id=str(new.pop()), extra=exc.extra)


def _campaign_ids(emulator) -> list:
    for attribute in ("campaigns", "dialers"):
        if hasattr(emulator, attribute):
            return list(getattr(emulator, attribute))
    raise AssertionError("The emulator keeps no campaigns the contract suite can see.")


def test_guessed_extras_are_declared_with_their_source(kind, extras):
    emulator = emulator_for(kind, guessed_extras=extras)
    for name, source in type(emulator).GUESSED_EXTRAS.items():
        assert re.match(r"\[(T|I|V|D)\b", source), (name, source)
        assert emulator.guessed(name) is extras
    with pytest.raises(KeyError):
        emulator.guessed("not declared")


def test_the_matrix_states_the_documented_calls_the_console_does_not_use(kind, extras):
    adapter = adapter_class(kind)
    assert adapter.documented_not_used, "state the vendor's remaining documented calls"
    assert all(text.strip().endswith(".") for text in adapter.documented_not_used)
    assert set(adapter.capability_notes) <= set(adapter.capabilities)


def test_capabilities_and_reasons_cover_every_operation(kind, extras):
    adapter = adapter_class(kind)
    unsupported = set(Capability) - set(adapter.capabilities)
    assert set(adapter.unsupported_reasons) == unsupported
    assert all(reason.strip() for reason in adapter.unsupported_reasons.values())
    assert adapter.max_batch_size >= 1


def test_create_then_update_is_idempotent(kind, extras, monkeypatch):
    harness, adapter, emulator = _adapter(kind, monkeypatch, extras)
    before = _campaign_count(harness, emulator)
    ref = _create(adapter, harness, emulator)
    assert ref.remote_id
    after_create = _campaign_count(harness, emulator)
    if adapter.supports(Capability.CAMPAIGN_UPDATE):
        # One update: Ozonetel allows 2 campaign calls a minute.
        updated = adapter.campaign_update(ref, harness.campaign_spec_changed())
        assert updated.remote_id == ref.remote_id
    assert _campaign_count(harness, emulator) == after_create
    assert after_create - before in (0, 1)  # 0: linking a campaign that already exists


# Faults are checked on campaign_create, which every adapter has (Voicenter's links), since
# some adapters' test_connection turns errors into a failed HealthResult.


def test_wrong_credentials_are_a_configuration_error(kind, extras, monkeypatch):
    harness, adapter, _ = _adapter(kind, monkeypatch, extras, wrong=True)
    with pytest.raises(VendorConfigurationError) as caught:
        adapter.campaign_create(harness.campaign_spec())
    assert caught.value.vendor_message or caught.value.status_code in (401, 403)


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.TIMEOUT, Fault.RATE_LIMITED])
def test_server_errors_timeouts_and_rate_limits_are_temporary(kind, extras, fault, monkeypatch):
    harness, adapter, emulator = _adapter(kind, monkeypatch, extras)
    emulator.inject(fault, remaining=None, retry_after=9)
    with pytest.raises(VendorTemporaryError) as caught:
        adapter.campaign_create(harness.campaign_spec())
    if fault == Fault.RATE_LIMITED:
        assert caught.value.retry_after == 9


def test_a_reply_that_is_not_json_is_a_protocol_error(kind, extras, monkeypatch):
    harness, adapter, emulator = _adapter(kind, monkeypatch, extras)
    emulator.inject(Fault.MALFORMED_JSON, remaining=None)
    with pytest.raises(VendorProtocolError):
        adapter.campaign_create(harness.campaign_spec())


def test_documented_error_is_permanent_with_the_vendors_message(kind, extras, monkeypatch):
    harness, adapter, emulator = _adapter(kind, monkeypatch, extras)
    ref = _create(adapter, harness, emulator)
    with pytest.raises(VendorPermanentError) as caught:
        harness.trigger_documented_error(adapter, emulator, ref)
    error = caught.value
    assert harness.documented_error_message in f"{error} {error.vendor_message}"


def _exercise(adapter, harness: VendorHarness, emulator) -> None:
    """Every operation the adapter supports, tolerating vendor refusals: the point is that
    whatever was said on the wire is in the call log, redacted."""
    attempt = contextlib.suppress(VendorError)
    with attempt:
        adapter.test_connection()
    ref = RemoteRef(remote_id="999999")
    with attempt:
        ref = _create(adapter, harness, emulator)
    calls = {
        Capability.CAMPAIGN_UPDATE: lambda: adapter.campaign_update(
            ref, harness.campaign_spec_changed()
        ),
        Capability.CAMPAIGN_LINK: adapter.campaign_link_choices,
        Capability.CAMPAIGN_START_STOP: lambda: (
            adapter.campaign_start(ref),
            adapter.campaign_stop(ref),
        ),
        Capability.PENDING_COUNT: lambda: adapter.pending_count(ref),
    }
    for capability, call in calls.items():
        if adapter.supports(capability):
            with attempt:
                call()
    pushed = []
    with attempt:
        pushed = list(adapter.leads_push(ref, [_lead(harness, 1)]).results)
    if adapter.supports(Capability.LEAD_PUSH_BULK) and adapter.max_batch_size > 1:
        with attempt:
            adapter.leads_push(ref, [_lead(harness, 2), _lead(harness, 3)])
    remote_lead_id = pushed[0].remote_id if pushed else ""
    lead = _lead(harness, 1)
    lead_calls = {
        Capability.LEAD_UPDATE: lambda: adapter.lead_update(
            ref, remote_lead_id=remote_lead_id, lead=lead
        ),
        Capability.CALL_RESULT: lambda: adapter.lead_call_result(
            ref, remote_lead_id=remote_lead_id, disposition="SUCCESS", success=True
        ),
        Capability.LEAD_TERMINATE: lambda: adapter.lead_terminate(
            ref, remote_lead_id=remote_lead_id
        ),
        Capability.LEAD_REMOVE: lambda: adapter.lead_remove(
            ref, remote_lead_id=remote_lead_id, phone=lead.phone
        ),
        Capability.CAMPAIGN_DELETE: lambda: adapter.campaign_delete(ref),
    }
    for capability, call in lead_calls.items():
        if adapter.supports(capability):
            with attempt:
                call()


def test_no_secret_appears_in_the_call_log(kind, extras, monkeypatch):
    harness, adapter, emulator = _adapter(kind, monkeypatch, extras)
    _exercise(adapter, harness, emulator)
    with contextlib.suppress(VendorError):
        harness.trigger_documented_error(adapter, emulator, RemoteRef(remote_id="999999"))
    emulator.inject(Fault.SERVER_ERROR, remaining=2)
    _exercise(adapter, harness, emulator)
    emulator.inject(Fault.TIMEOUT, remaining=1)
    _exercise(adapter, harness, emulator)
    _, wrong_adapter, _ = _adapter(kind, monkeypatch, extras, wrong=True, emulator=emulator)
    _exercise(wrong_adapter, harness, emulator)

    adapter_type = adapter_class(kind)
    secrets = set(adapter_type.secret_values(harness.credentials))
    secrets |= set(adapter_type.secret_values(harness.wrong_credentials))
    assert secrets, "the harness declares no secret credentials"
    rows = list(VendorCall.objects.all())
    assert len(rows) >= 5
    assert any(row.status_code and row.status_code >= 400 or row.error for row in rows)
    for row in rows:
        text = " ".join((row.url, row.request_excerpt, row.response_excerpt, row.error))
        for secret in secrets:
            assert secret not in text, (row.operation, row.url)
