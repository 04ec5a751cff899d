"""Voicenter's field map (``shared/vendors/voicenter-forward-dialer.txt``): the campaign's
agents are the Voicenter campaign's members (AddMember's ``Member`` codes, each agent's
id on the account). Every other field of ``forms.VoicenterCampaignForm`` is vendor-only:
the campaign itself is created in Voicenter's portal and linked by its Code."""

from __future__ import annotations

from vendors.adapters.field_map import Derived, FieldMap, agent_ids, agents_need_ids

VENDOR = "Voicenter"

FIELD_MAP = FieldMap(
    vendor=VENDOR,
    derived=(Derived("members", "agents", agent_ids),),
    requirements=agents_need_ids(VENDOR),
)
