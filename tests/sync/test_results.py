"""Results pulled from the dialers: each emulator dials, the console pulls by the vendor's
documented call, and its LeadResult rows match the emulator's own state exactly; a second
pull changes nothing; beat enqueues one pull per campaign; every pull is in the call log."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from results.models import CallAttempt, LeadResult, ResultSource
from sync.models import CampaignRemote, JobState, LeadSync, Operation, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from sync.services.results import results_pull_all, results_pull_enqueue
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.vendors.fixtures import emulator_for
from vendors.adapters.acefone.payloads import PENDING_DIAL_STATUSES
from vendors.adapters.types import DialOutcome
from vendors.adapters.webitel.payloads import RESULT_STATUS_FLAG
from vendors.models import VendorCall
from vendors.services import vendor_account_receiving_rotate

PULLING_KINDS = ["acefone", "webitel", "jtel", "voicenter"]


def _synced(kind, emulated_account, count=6):
    account, emulator = emulated_account(kind)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(count))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    ref = CampaignRemote.objects.get(campaign=campaign).remote_ref
    return account, emulator, campaign, ref


def _dial(kind, emulator, ref) -> None:
    """Dial some of the campaign's leads, with more than one kind of result."""
    remote_id = ref["remote_id"]
    if kind == "webitel":
        # Without waiting for the console's result, the dialer ends or retries by itself.
        emulator.dialers[remote_id]["parameters"][RESULT_STATUS_FLAG] = False
        emulator.dial(remote_id, 2)
        emulator.dial(remote_id, 2, answered=False)
    elif kind == "jtel":
        emulator.dial(int(remote_id), 2)
        emulator.dial(int(remote_id), 1, export_key="WV", cause="NO_ANSWER")
    else:
        assert emulator.simulate_dialling(3, campaign=remote_id) == 3


def _ms(value) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, UTC) if value else None


def _truth(kind, emulator, ref) -> dict[str, tuple]:
    """What the emulator holds per lead, by the remote id the console's rows carry (the
    number for Acefone and Voicenter): (attempts, raw result, next try, done)."""
    remote_id = ref["remote_id"]
    if kind == "webitel":
        return {
            member_id: (
                member["_probeCount"],
                member["_endCause"] or "",
                None if member["_endCause"] else _ms(member.get("_nextTryTime")),
                bool(member["_endCause"]),
                _ms(member["communications"][0].get("lastCall")),
            )
            for member_id, member in emulator.members[remote_id].items()
        }
    if kind == "jtel":
        codes = {c["ExportKey"]: c for c in emulator.result_codes[int(remote_id)]}
        truth = {}
        for contact in emulator.campaign_contacts(int(remote_id)):
            key = contact["ResultCodesExportKey"]
            code = codes.get(key)
            next_try = contact["dtNextTry"]
            truth[contact["UserData"]] = (
                contact["nTriesPhoneNumber1"],
                key or "",
                datetime.strptime(next_try, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
                if next_try
                else None,
                (code["bDone"] or code["bAborted"]) if code else None,
                None,
            )
        return truth
    if kind == "acefone":
        leads = emulator.lists[int(ref["extra"]["list_id"])]["leads"]
        return {
            lead["field_0"][-10:]: (
                lead["call_count"],
                "" if lead["dial_status"] in PENDING_DIAL_STATUSES else lead["dial_status"],
                None,
                None,
                None,
            )
            for lead in leads
        }
    # Voicenter: what is still pending (not done) and its call log (the attempts).
    pending = emulator.campaigns[remote_id].calls
    dialled = {d["target"] for d in emulator.dialled if d["campaign"] == remote_id}
    logged: dict[str, list[dict]] = {}
    for cdr in emulator.leg1_cdrs(remote_id):
        logged.setdefault(cdr["TargetNumber"], []).append(cdr)
    truth = {}
    for target in {*pending, *dialled}:
        cdrs = logged.get(target, [])
        latest = cdrs[-1] if cdrs else None
        truth[target[-10:]] = (
            len(cdrs),
            latest["DialStatus"] if latest else "Pending",
            None,
            target not in pending,
            _cdr_time(latest["Date"]) if latest else None,
        )
    return truth


def _cdr_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _console(kind, campaign) -> dict[str, tuple]:
    rows = LeadResult.objects.filter(campaign=campaign).select_related("lead")
    remote = dict(LeadSync.objects.filter(campaign=campaign).values_list("lead_id", "remote_id"))
    by_number = kind in ("acefone", "voicenter")
    return {
        (row.lead.phone[-10:] if by_number else remote[row.lead_id]): (
            row.attempts,
            row.last_result_raw,
            row.next_attempt_at,
            row.done,
            row.last_attempt_at,
        )
        for row in rows
    }


@pytest.mark.parametrize("kind", PULLING_KINDS)
def test_the_pull_matches_the_dialers_truth_exactly(kind, emulated_account):
    account, emulator, campaign, ref = _synced(kind, emulated_account)
    _dial(kind, emulator, ref)
    calls_before = VendorCall.objects.filter(operation="results_pull").count()

    results_pull_enqueue(campaign=campaign, reason="test")
    assert run_jobs() == ["done"]

    truth = _truth(kind, emulator, ref)
    assert _console(kind, campaign) == truth
    assert LeadResult.objects.filter(campaign=campaign).count() == 6 == len(truth)
    assert set(LeadResult.objects.values_list("source", flat=True)) == {ResultSource.PULL}
    assert VendorCall.objects.filter(operation="results_pull").count() > calls_before
    # Every lead was pushed, so the dialer's word on each is filed, dialled or not.
    assert any(value[0] or value[3] for value in truth.values()), "nothing was dialled"


@pytest.mark.parametrize("kind", PULLING_KINDS)
def test_a_second_pull_changes_nothing(kind, emulated_account):
    account, emulator, campaign, ref = _synced(kind, emulated_account)
    _dial(kind, emulator, ref)
    results_pull_enqueue(campaign=campaign, reason="test")
    run_jobs()
    before = list(LeadResult.objects.order_by("pk").values())
    attempts_before = CallAttempt.objects.count()

    results_pull_enqueue(campaign=campaign, reason="again")
    run_jobs()

    assert list(LeadResult.objects.order_by("pk").values()) == before
    assert CallAttempt.objects.count() == attempts_before


def test_outcomes_are_mapped_beside_the_raw_status(emulated_account):
    account, emulator, campaign, ref = _synced("webitel", emulated_account)
    _dial("webitel", emulator, ref)
    results_pull_enqueue(campaign=campaign, reason="test")
    run_jobs()
    ended = LeadResult.objects.filter(campaign=campaign, done=True)
    assert ended.count() == 2
    assert set(ended.values_list("last_result_raw", "last_result_code")) == {
        ("ACCEPT", DialOutcome.ANSWERED)
    }
    # Webitel gives each attempt's time: one attempt row per dialled member.
    assert CallAttempt.objects.filter(campaign=campaign).count() == 4


def test_a_later_dial_updates_the_rows(emulated_account):
    account, emulator, campaign, ref = _synced("jtel", emulated_account)
    _dial("jtel", emulator, ref)
    results_pull_enqueue(campaign=campaign, reason="test")
    run_jobs()
    emulator.dial(int(ref["remote_id"]), 6)
    results_pull_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert _console("jtel", campaign) == _truth("jtel", emulator, ref)
    assert not LeadResult.objects.filter(campaign=campaign, done=False).exists()


def test_beat_enqueues_one_pull_per_campaign_that_reports(emulated_account):
    _, _, first, _ = _synced("webitel", emulated_account)
    _, _, second, _ = _synced("jtel", emulated_account)
    assert results_pull_all() == 2
    assert results_pull_all() == 2  # merged into the waiting jobs, never doubled
    jobs = SyncJob.objects.filter(operation=Operation.RESULTS_PULL, state=JobState.PENDING)
    assert sorted(jobs.values_list("campaign_id", flat=True)) == sorted([first.pk, second.pk])


def test_ozonetel_results_pulls_stay_under_the_export_limit(emulated_account, settings):
    """Ozonetel takes 10 dial-status export requests a minute [D]: twelve pulls in a row
    are paced by the account's shared rate limit, and the emulator refuses none."""
    settings.SYNC_RATE_LIMIT_TIME_SCALE = scale = 60  # a minute lasts a second
    origin = time.monotonic()
    emulator = emulator_for(
        "ozonetel",
        clock=lambda: origin + (time.monotonic() - origin) * scale,
        guessed_extras=True,
    )
    account, _ = emulated_account("ozonetel", emulator=emulator)
    vendor_account_receiving_rotate(account=account)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    for _ in range(12):
        results_pull_enqueue(campaign=campaign, reason="test")
        assert run_jobs() == ["done"]
    calls = VendorCall.objects.filter(account=account, operation="dial_status_export")
    assert calls.count() == 12
    assert not calls.filter(status_code=429).exists()
    assert len(emulator.exports) == 12


def test_beat_leaves_out_a_pushing_vendor_without_a_receiving_endpoint(emulated_account):
    account, emulator = emulated_account("ozonetel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(1))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert results_pull_all() == 0
    vendor_account_receiving_rotate(account=account)
    assert results_pull_all() == 1
