"""The campaign's copy on its dialer: its reference, and the sync state the page shows."""

from __future__ import annotations

from django.utils import timezone

from sync.models import CampaignRemote, CampaignSyncState
from vendors.adapters.types import RemoteRef


def campaign_remote(*, campaign) -> CampaignRemote:
    remote, _ = CampaignRemote.objects.get_or_create(campaign=campaign)
    return remote


def campaign_remote_ref(*, remote: CampaignRemote) -> RemoteRef | None:
    return RemoteRef.from_json(remote.remote_ref)


# The mark in ``CampaignRemote.remote_ref`` for a campaign the dialer created without
# telling its id: {"remote_id": "", "extra": {...}, "id_unknown": true}.
ID_UNKNOWN = "id_unknown"


def campaign_remote_id_unknown(*, remote: CampaignRemote | None) -> bool:
    """True when the campaign was created on the dialer but its id is unknown: nothing
    may create it again until a supervisor links it."""
    return bool(remote and (remote.remote_ref or {}).get(ID_UNKNOWN))


def campaign_remote_id_unknown_mark(*, remote: CampaignRemote, extra: dict[str, str]) -> None:
    CampaignRemote.objects.filter(pk=remote.pk).update(
        remote_ref={"remote_id": "", "extra": dict(extra), ID_UNKNOWN: True}
    )


def campaign_remote_mark(*, campaign_id: int, state: str, error: str = "") -> None:
    """Set the campaign's sync state; IN_SYNC also stamps the time and clears the error."""
    values = {"state": state, "last_error": error}
    if state == CampaignSyncState.IN_SYNC:
        values["last_synced_at"] = timezone.now()
    if not CampaignRemote.objects.filter(campaign_id=campaign_id).update(**values):
        CampaignRemote.objects.create(campaign_id=campaign_id, **values)
