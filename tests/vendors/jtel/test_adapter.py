"""The jtel adapter against the emulator: every operation, and the error mapping."""

from __future__ import annotations

import httpx
import pytest

from tests.vendors.jtel.conftest import make_adapter
from tests.vendors.jtel.harness import CREDENTIALS, TEMPLATE, WRONG_CREDENTIALS, campaign_spec, lead
from vendors.adapters.emulation import Fault
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
from vendors.adapters.http import build_client
from vendors.adapters.jtel.adapter import JtelAdapter
from vendors.adapters.jtel.forms import JtelCampaignForm
from vendors.adapters.types import AccountConfig, CampaignSpec, Capability, LeadOutcome, RemoteRef


@pytest.fixture
def ref(adapter) -> RemoteRef:
    return adapter.campaign_create(campaign_spec())


def test_unsupported_operations_say_why():
    assert set(JtelAdapter.capabilities) | set(JtelAdapter.unsupported_reasons) == set(Capability)
    assert not set(JtelAdapter.capabilities) & set(JtelAdapter.unsupported_reasons)
    reason = JtelAdapter.unsupported_reasons[Capability.CAMPAIGN_START_STOP]
    assert "no start or stop call" in reason
    with pytest.raises(NotImplementedError):
        JtelAdapter.campaign_start(None, RemoteRef("1"))


def test_connection(adapter):
    result = adapter.test_connection()
    assert result.ok
    assert result.message == (
        "jtel accepted the token for ClientsID 1; it lists 1 dialler campaign(s)."
    )


def test_connection_with_a_wrong_token_reports_jtels_words(emulator):
    result = make_adapter(emulator, WRONG_CREDENTIALS).test_connection()
    assert not result.ok
    assert "bad token and/or wrong ClientsID" in result.message


def test_a_wrong_clients_id_is_a_configuration_error(emulator):
    adapter = make_adapter(emulator, {**CREDENTIALS, "clients_id": "7"})
    with pytest.raises(VendorConfigurationError):
        adapter.campaign_link_choices()


def test_a_base_url_that_is_not_jtel_is_a_configuration_error(emulator):
    client = build_client(
        base_url="http://jtel.test/portal/",
        secrets=[CREDENTIALS["token"]],
        headers=JtelAdapter.auth_headers(CREDENTIALS),
        transport=httpx.MockTransport(lambda request: httpx.Response(404)),
    )
    account = AccountConfig(2, "jtel", "http://jtel.test/portal/", CREDENTIALS)
    with pytest.raises(VendorConfigurationError) as caught:
        JtelAdapter(account=account, client=client).campaign_link_choices()
    assert "check the account's base URL" in str(caught.value)


def test_create_clones_the_template(adapter, emulator, ref):
    record = emulator.campaigns[int(ref.remote_id)]
    assert (record["Name"], record["dtFrom"]) == ("Spring renewals", "2026-05-01 08:00:00")
    assert ref.extra == {"name": "Spring renewals"}


def test_what_the_settings_form_cleans_is_accepted(adapter, emulator):
    """The campaigns issue's form, as a browser would fill it, through to jtel."""
    form = JtelCampaignForm(
        data={
            "source": TEMPLATE,
            "destination": "Autumn",
            "userData": "crm-7",
            "dtFrom": "2026-09-01T08:00",
            "dtTo": "2026-09-30 20:00:00",
        },
        account=None,
    )
    assert form.is_valid(), form.errors
    ref = adapter.campaign_create(CampaignSpec(name="Console name", settings=form.settings()))
    record = emulator.campaigns[int(ref.remote_id)]
    # The destination is the campaign's name (the field map): the form's is not sent.
    assert (record["Name"], record["UserData"]) == ("Console name", "crm-7")
    assert (record["dtFrom"], record["dtTo"]) == ("2026-09-01 08:00:00", "2026-09-30 20:00:00")


def test_create_with_a_name_in_use(adapter, ref):
    with pytest.raises(VendorPermanentError) as caught:
        adapter.campaign_create(campaign_spec())
    assert str(caught.value) == (
        "A campaign with that name already exists (Dialler campaign already exists)."
    )
    assert caught.value.status_code == 409


def test_create_from_a_missing_template(adapter):
    with pytest.raises(VendorPermanentError) as caught:
        adapter.campaign_create(campaign_spec(source="No such template"))
    assert str(caught.value).startswith("The template campaign does not exist on jtel")


def test_link_choices(adapter, ref):
    choices = adapter.campaign_link_choices()
    assert [(c.remote_id, c.name) for c in choices] == [
        ("535", TEMPLATE),
        (ref.remote_id, ref.extra["name"]),
    ]


def test_delete_twice_is_fine(adapter, emulator, ref):
    adapter.campaign_delete(ref)
    adapter.campaign_delete(ref)
    assert int(ref.remote_id) not in emulator.campaigns


def test_result_codes(adapter, ref):
    codes = adapter.result_codes(ref)
    assert [(c.export_key, c.label, c.final) for c in codes] == [
        ("ABG", "Completed", True),
        ("WV", "Call back", False),
        ("Aufleger", "Hung up", True),
    ]
    assert adapter.result_codes(ref, languages_id=2)[0].label == "Abgeschlossen"


def test_push_update_and_remove(adapter, emulator, ref):
    (result,) = adapter.leads_push(ref, [lead(1)]).results
    assert (result.outcome, result.remote_id) == (LeadOutcome.ACCEPTED, f"dc-{ref.remote_id}-1")
    (contact,) = emulator.campaign_contacts(int(ref.remote_id))
    assert (contact["Name"], contact["FirstName"]) == ("Huber", "Anna")
    adapter.lead_update(ref, remote_lead_id=result.remote_id, lead=lead(1, last_name="Maier"))
    assert [c["Name"] for c in emulator.campaign_contacts(int(ref.remote_id))] == ["Maier"]
    adapter.lead_remove(ref, remote_lead_id=result.remote_id, phone="+4989123456")
    adapter.lead_remove(ref, remote_lead_id=result.remote_id, phone="+4989123456")
    assert emulator.contacts == {}


def test_a_repeated_push_does_not_duplicate(adapter, emulator, ref):
    assert JtelAdapter.duplicate_guard
    adapter.leads_push(ref, [lead(1)])
    adapter.leads_push(ref, [lead(1)])
    assert len(emulator.contacts) == 1


def test_a_lead_jtel_cannot_take_is_rejected_alone(adapter, emulator, ref):
    (too_long,) = adapter.leads_push(ref, [lead(1, last_name="x" * 65)]).results
    assert too_long.outcome == LeadOutcome.REJECTED
    assert too_long.message == "jtel: Name is longer than 64 characters"
    assert emulator.contacts == {}


def test_a_vendor_400_rejects_the_lead(adapter, emulator, ref, exchanges):
    (result,) = adapter.leads_push(ref, [lead(1, phone="")]).results
    assert result.outcome == LeadOutcome.REJECTED
    assert "At least one of PhoneNumber1 ... PhoneNumber6 is required" in result.message
    assert exchanges[-1].status_code == 400


def test_pushing_to_a_deleted_campaign_raises(adapter, ref):
    adapter.campaign_delete(ref)
    with pytest.raises(VendorPermanentError) as caught:
        adapter.leads_push(ref, [lead(1)])
    assert str(caught.value).startswith("The campaign does not exist on jtel")


def test_pending_count_follows_the_dialler(adapter, emulator, ref):
    for n in range(1, 5):
        adapter.leads_push(ref, [lead(n)])
    assert adapter.pending_count(ref).pending == 4
    emulator.dial(int(ref.remote_id), 1, export_key="WV")
    emulator.dial(int(ref.remote_id), 1, export_key="ABG")  # the same contact, closed now
    emulator.dial(int(ref.remote_id), 1, export_key="Aufleger")
    counted = adapter.pending_count(ref)
    assert (counted.pending, counted.total, counted.detail["finished"]) == (2, 4, 2)
    assert "ResultCodesExportKey" in counted.detail["rests_on"]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SERVER_ERROR, VendorTemporaryError),
        (Fault.TIMEOUT, VendorTemporaryError),
        (Fault.RATE_LIMITED, VendorTemporaryError),
        (Fault.MALFORMED_JSON, VendorProtocolError),
    ],
)
def test_faults_map_onto_the_ladder(adapter, emulator, ref, fault, error):
    emulator.inject(fault, retry_after=3)
    with pytest.raises(error) as caught:
        adapter.leads_push(ref, [lead(1)])
    if fault == Fault.RATE_LIMITED:
        assert caught.value.retry_after == 3


def test_no_secret_reaches_the_call_log(adapter, ref, exchanges):
    adapter.leads_push(ref, [lead(1)])
    adapter.pending_count(ref)
    assert exchanges
    for exchange in exchanges:
        text = f"{exchange.url} {exchange.request_excerpt} {exchange.response_excerpt}"
        assert CREDENTIALS["token"] not in text
    assert "/rest/v1.0/1/dialler/" in exchanges[-1].url  # the ClientsID stays readable


def test_delete_by_name_get_and_delete_a_contact(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    adapter.leads_push(ref, [lead(1), lead(2, "+4930123457")])
    contacts = adapter.contacts(ref)
    assert len(contacts) == 2
    first = str(contacts[0]["ID"])
    assert adapter.contact_get(first)["PhoneNumber1"] == contacts[0]["PhoneNumber1"]
    adapter.contact_delete(first)
    adapter.contact_delete(first)  # already gone is done
    assert adapter.contact_get(first) is None
    assert len(adapter.contacts(ref)) == 1
    adapter.campaign_delete_by_name(ref.extra["name"])
    adapter.campaign_delete_by_name(ref.extra["name"])
    assert int(ref.remote_id) not in emulator.campaigns
