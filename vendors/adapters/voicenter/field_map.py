"""Voicenter's field map (``shared/vendors/voicenter-forward-dialer.txt``): the campaign's
agents are the Voicenter campaign's members (AddMember's ``Member`` codes, each agent's
id on the account). Every other field of ``forms.VoicenterCampaignForm`` is vendor-only:
the campaign itself is created in Voicenter's portal and linked by its Code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendors.adapters.field_map import Derived, FieldMap, agent_ids, agents_need_ids
from vendors.adapters.types import WindowEnforcement, WindowMeans

VENDOR = "Voicenter"

FIELD_MAP = FieldMap(
    vendor=VENDOR,
    derived=(Derived("members", "agents", agent_ids),),
    requirements=agents_need_ids(VENDOR),
)


# How the calling window is enforced on voicenter (``types.WindowMeans``; see the vendor's
# document in shared/vendors/ and the README's calling-window section).
WINDOW_MEANS = WindowMeans(
    enforcement=WindowEnforcement.PER_LEAD,
    enforced=gettext_lazy(
        "Each call carries OriginateTime (epoch seconds, GMT): the next opening of its lead's "
        "window in the lead's own zone, so Voicenter does not dial it earlier. The console "
        "pushes a lead on a day its window opens, and takes back a call not dialled by its "
        "window's close (RemoveCall), to send it again with its next opening."
    ),
    outside_control=gettext_lazy(
        'Voicenter documents OriginateTime as "not available on all campaign types": on a '
        "campaign type without it, a pushed call can be dialled before its window opens. "
        "Between a window's close and the console's next check (every few minutes) Voicenter "
        "may still dial a call not yet taken back."
    ),
    take_back=True,
    campaign_time_zone="",
)
