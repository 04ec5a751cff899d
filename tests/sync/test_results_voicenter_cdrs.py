"""Voicenter's results from its call log (the dialer's CDRs, api-facts §2.3 [V]): each
dialled call's Leg1 CDR is one attempt, filed once by its CallID; the console's counts
equal the emulator's call log exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest

from results.models import CallAttempt, LeadResult
from sync.models import CampaignRemote
from sync.services.hooks import campaign_sync_enqueue
from sync.services.results import results_pull_enqueue
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.adapters.voicenter.emulator_call_log import CDR_LEG1
from vendors.models import VendorCall

pytestmark = pytest.mark.django_db


def _synced(emulated_account, count=6):
    account, emulator = emulated_account("voicenter")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(count))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    code = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    return account, emulator, campaign, code


def _pull(campaign):
    results_pull_enqueue(campaign=campaign, reason="test")
    assert run_jobs() == ["done"]


def test_attempts_agents_and_results_equal_the_call_log(emulated_account):
    account, emulator, campaign, code = _synced(emulated_account)
    assert emulator.simulate_dialling(3, campaign=code) == 3
    _pull(campaign)

    leg1 = emulator.leg1_cdrs(code)
    assert len(leg1) == 3
    assert len(emulator.cdrs) > len(leg1), "an answered call also has its agent's leg"
    assert CallAttempt.objects.filter(campaign=campaign).count() == len(leg1)
    assert set(CallAttempt.objects.values_list("vendor_event_id", flat=True)) == {
        f"cdr:{cdr['CallID']}" for cdr in leg1
    }
    rows = LeadResult.objects.filter(campaign=campaign).select_related("lead")
    assert sum(row.attempts for row in rows) == len(leg1)
    assert rows.count() == 6  # every pushed lead: dialled or still pending
    by_target = {cdr["TargetNumber"]: cdr for cdr in leg1}
    for row in rows:
        cdr = by_target.get(row.lead.phone.lstrip("+"))
        if cdr is None:
            assert (row.attempts, row.last_result_raw, row.done) == (0, "Pending", False)
            continue
        assert row.done is True and row.attempts == 1
        assert row.last_result_raw == cdr["DialStatus"]
        assert row.agent == cdr["RepresentativeName"]
        assert row.last_result_code == {"ANSWER": "ANSWERED", "NOANSWER": "NO_ANSWER",
                                        "BUSY": "BUSY"}[cdr["DialStatus"]]  # fmt: skip
    answered = CallAttempt.objects.get(result_raw="ANSWER")
    assert answered.agent and answered.duration_seconds


def test_the_same_cdr_is_filed_once_and_a_new_one_adds_an_attempt(emulated_account):
    account, emulator, campaign, code = _synced(emulated_account)
    emulator.simulate_dialling(2, campaign=code)
    _pull(campaign)
    _pull(campaign)  # the same CDRs again
    assert CallAttempt.objects.filter(campaign=campaign).count() == 2

    # The dialer tries one of them again (a retry of the same call).
    first = emulator.leg1_cdrs(code)[0]
    target = first["TargetNumber"]
    calls = emulator.campaigns[code]
    retry = next(iter(calls.calls.values()))
    calls.calls[target] = replace(
        retry, target=target, custom_data=first["CustomData"], sequence=0, priority=9
    )
    emulator.simulate_dialling(1, campaign=code)
    _pull(campaign)

    assert CallAttempt.objects.filter(campaign=campaign).count() == 3
    row = LeadResult.objects.get(campaign=campaign, lead__phone="+" + target)
    assert row.attempts == 2 == len([c for c in emulator.leg1_cdrs(code) if c["TargetNumber"]
                                     == target])  # fmt: skip
    assert row.last_result_raw == emulator.leg1_cdrs(code)[-1]["DialStatus"]


def test_another_campaigns_cdrs_are_not_counted(emulated_account):
    account, emulator, campaign, code = _synced(emulated_account, count=2)
    other = next(
        c for c in emulator.campaigns.values() if c.code != code and c.status_name != "Deleted"
    )
    other.status_name = "Enabled"
    pending = next(iter(emulator.campaigns[code].calls.values()))
    other.calls[pending.target] = replace(
        pending, custom_data={**pending.custom_data, "var_DialerCampaign": other.code}
    )
    emulator.simulate_dialling(1, campaign=other.code)
    _pull(campaign)
    assert not CallAttempt.objects.filter(campaign=campaign).exists()
    assert len(emulator.leg1_cdrs(other.code)) == 1


def test_the_call_log_read_is_in_the_call_log_with_the_code_masked(emulated_account):
    account, emulator, campaign, code = _synced(emulated_account)
    emulator.simulate_dialling(1, campaign=code)
    _pull(campaign)
    call = VendorCall.objects.filter(operation="call_records").latest("at")
    assert call.status_code == 200 and "/hub/cdr/" in call.url
    secret = account_code(account)
    assert secret not in call.request_excerpt and '"cdrTypes"' in call.request_excerpt
    assert str(CDR_LEG1) in call.request_excerpt


def account_code(account) -> str:
    from vendors.services import vendor_account_credentials

    return vendor_account_credentials(account=account)["code"]
