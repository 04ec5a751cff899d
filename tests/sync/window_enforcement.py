"""Helpers of the calling-window enforcement tests (tests/sync/test_window_enforcement*.py):
a campaign on an emulated vendor with leads in four zones, its calling window set, the
sync run at a frozen instant, and what the emulator then holds and dials."""

from __future__ import annotations

import datetime as dt

import time_machine

from campaigns.models import CallingWindow, CallingWindowDay, CampaignLeadList, ListRemoteId
from sync.models import CampaignRemote
from sync.services.hooks import campaign_sync_enqueue
from tests.leads.factories import LeadFactory, LeadListFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on

KINDS = ["voicenter", "webitel", "ozonetel", "acefone", "jtel"]
# Two leads in each place, with numbers of that country and its zone.
PLACES = {
    "new_york": ("+1212555{:04d}", "America/New_York"),
    "berlin": ("+4930123{:04d}", "Europe/Berlin"),
    "jerusalem": ("+9722561{:04d}", "Asia/Jerusalem"),
    "kolkata": ("+9198123{:04d}", "Asia/Kolkata"),
}
PER_PLACE = 2


def at(text: str) -> dt.datetime:
    """An instant in UTC from "2026-03-08 12:15"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def campaign_in_four_zones(account, *, start="08:00", end="21:00", weekdays=range(7), **flags):
    """A running campaign on ``account`` with ``PER_PLACE`` leads in each of ``PLACES`` and a
    lead-local calling window of ``start``-``end`` on ``weekdays`` (its id on the account
    kept from the vendor's test spec: Webitel's calendar, Acefone's time group)."""
    lead_list = LeadListFactory(default_timezone="", default_country="")
    campaign = campaign_on(account)
    # jtel's test template runs from 1 May 2026 (Runs from): no run times here, so jtel is
    # gated as the others (test_window_enforcement_gate.py tests its run times).
    for name in ("dtFrom", "dtTo"):
        campaign.vendor_settings.pop(name, None)
    campaign.save(update_fields=["vendor_settings"])
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    serial = 0
    for pattern, zone in PLACES.values():
        for _ in range(PER_PLACE):
            serial += 1
            LeadFactory(lead_list=lead_list, phone=pattern.format(serial), timezone=zone)
    window_set(campaign, start=start, end=end, weekdays=weekdays, **flags)
    return campaign


def window_set(campaign, *, start="08:00", end="21:00", weekdays=range(7), **flags):
    window = campaign.calling_window
    if window is None:  # a vendor whose test spec has none (no id to keep)
        window = CallingWindow.objects.create(name=f"Window of {campaign.pk}")
        ListRemoteId.objects.create(  # Acefone's time group id, say
            calling_window=window, vendor_account=campaign.vendor_account, remote_id="7"
        )
        campaign.calling_window = window
        campaign.save(update_fields=["calling_window"])
    window.days.all().delete()
    window.timezone_policy, window.fixed_timezone = "lead_local", ""
    for name, value in flags.items():
        setattr(window, name, value)
    window.save()
    for weekday in weekdays:
        CallingWindowDay.objects.create(
            calling_window=window,
            weekday=weekday,
            start=dt.time.fromisoformat(start),
            end=dt.time.fromisoformat(end),
        )


def sync_at(campaign, instant: dt.datetime) -> None:
    """Run the campaign job with the clock at ``instant`` (the wall clock of the console and
    of the emulators)."""
    with time_machine.travel(instant, tick=False):
        campaign_sync_enqueue(campaign=campaign, reason="test")
        run_jobs()


def places_of(phones) -> set[str]:
    """The places ("berlin", ...) the numbers are in."""
    digits = {str(phone).lstrip("+") for phone in phones}
    found = set()
    for place, (pattern, _zone) in PLACES.items():
        prefix = pattern.split("{")[0].lstrip("+")
        if any(number.startswith(prefix) for number in digits):
            found.add(place)
    return found


def _ref(campaign) -> dict:
    return CampaignRemote.objects.get(campaign=campaign).remote_ref


def phones_held(kind: str, emulator, campaign) -> list[str]:
    """The numbers the dialer holds for the campaign, not yet dialled or not."""
    ref = _ref(campaign)
    if kind == "webitel":
        members = emulator.members[ref["remote_id"]].values()
        return [member["communications"][0]["number"] for member in members]
    if kind == "acefone":
        return [
            str(lead["field_0"]) for lead in emulator.lists[int(ref["extra"]["list_id"])]["leads"]
        ]
    if kind == "voicenter":
        return list(emulator.campaigns[ref["remote_id"]].calls)
    if kind == "jtel":
        return [
            contact["PhoneNumber1"]
            for contact in emulator.contacts.values()
            if str(contact["DiallerCampaignsID"]) == str(ref["remote_id"])
        ]
    if kind == "ozonetel":
        emulator.process_queue(force=True)
        return [row["PhoneNumber"] for row in emulator.campaigns[ref["remote_id"]].rows]
    raise NotImplementedError(kind)


def dial_now(kind: str, emulator, campaign, instant: dt.datetime) -> set[str]:
    """Let the emulator dial everything it would at ``instant``; the places dialled."""
    ref = _ref(campaign)
    with time_machine.travel(instant, tick=False):
        if kind == "webitel":
            dialer = ref["remote_id"]
            ids = emulator.dial(dialer, 1000)
            members = emulator.members[dialer]
            return places_of(members[i]["communications"][0]["number"] for i in ids)
        if kind == "voicenter":
            calls = emulator.campaigns[ref["remote_id"]].calls
            before = set(calls)
            emulator.simulate_dialling(1000, campaign=ref["remote_id"])
            return places_of(before - set(calls))
        if kind == "ozonetel":
            emulator.process_queue(force=True)
            seen = len(emulator.dialled)
            emulator.simulate_dialling(1000, campaign=ref["remote_id"])
            return places_of(row["phone"] for row in emulator.dialled[seen:])
        if kind == "acefone":
            leads = emulator.lists[int(ref["extra"]["list_id"])]["leads"]
            before = {id(lead): lead["dial_status"] for lead in leads}
            emulator.simulate_dialling(1000)
            return places_of(
                lead["field_0"] for lead in leads if lead["dial_status"] != before[id(lead)]
            )
        if kind == "jtel":
            contacts = emulator.contacts.values()
            before = {id(contact): contact["nTriesPhoneNumber1"] for contact in contacts}
            emulator.simulate_dialling(1000, campaign=str(ref["remote_id"]))
            return places_of(
                contact["PhoneNumber1"]
                for contact in contacts
                if contact["nTriesPhoneNumber1"] != before[id(contact)]
            )
    raise NotImplementedError(kind)
