"""What an emulator holds for a synced campaign, read straight from its state."""

from __future__ import annotations

from collections import Counter

from sync.models import CampaignRemote


def remote_ref(campaign) -> dict:
    return CampaignRemote.objects.get(campaign=campaign).remote_ref


def phones_on_dialer(kind: str, emulator, campaign) -> Counter:
    """How many times the dialer holds each phone of the campaign."""
    ref = remote_ref(campaign)
    if kind == "webitel":
        members = emulator.members[ref["remote_id"]].values()
        return Counter(member["communications"][0]["number"] for member in members)
    if kind == "acefone":
        leads = emulator.lists[int(ref["extra"]["list_id"])]["leads"]
        return Counter(str(lead["field_0"]) for lead in leads)
    if kind == "voicenter":
        return Counter(list(emulator.campaigns[ref["remote_id"]].calls))
    if kind == "jtel":
        contacts = emulator.contacts.values()
        return Counter(
            contact["PhoneNumber1"]
            for contact in contacts
            if str(contact["DiallerCampaignsID"]) == str(ref["remote_id"])
        )
    raise NotImplementedError(kind)
