"""Reconciliation on the pages and the API: the panel's words, its buttons' roles, the
API's drift and the capability matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from sync.models import CampaignRemote, Operation, SyncJob
from tests.accounts.factories import UserFactory
from tests.sync.factories import campaign_on
from tests.sync.test_reconcile import _synced
from vendors.adapters.types import Capability

# --- the panel and its buttons -------------------------------------------------------------


def _panel_of(client, campaign, role=Role.SUPERVISOR):
    client.force_login(UserFactory(role=role, with_team=True))
    return client.get(reverse("sync:campaign-panel", args=[campaign.pk]), HTTP_HX_REQUEST="true")


def test_the_panel_says_the_drift_in_words(client, emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account)
    checked = timezone.now() - timedelta(minutes=5)
    CampaignRemote.objects.create(
        campaign=campaign,
        remote_ref={"remote_id": "a" * 24},
        drift_checked_at=checked,
        drift_held_after_removal=12,
        drift_missing=3,
        drift_unknown=0,
    )
    html = _panel_of(client, campaign).content.decode()
    assert (
        "The dialer holds 12 leads the console removed; 3 leads the console pushed are "
        "missing." in html
    )
    assert f'datetime="{checked.isoformat()}' in html or "Checked" in html
    assert ">Repair</button>" in html


def test_the_panel_says_in_step_and_one_lead_in_the_singular(client, emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account)
    remote = CampaignRemote.objects.create(
        campaign=campaign, remote_ref={"remote_id": "a" * 24}, drift_checked_at=timezone.now(),
        drift_held_after_removal=0, drift_missing=0, drift_unknown=0,
    )  # fmt: skip
    html = _panel_of(client, campaign).content.decode()
    assert "In step: the dialer holds what the console pushed." in html
    assert ">Repair</button>" not in html

    CampaignRemote.objects.filter(pk=remote.pk).update(drift_missing=1, drift_unknown=1)
    html = _panel_of(client, campaign).content.decode()
    assert (
        "1 lead the console pushed is missing; the dialer holds 1 lead the console never "
        "pushed." in html
    )


def test_the_panel_does_not_claim_what_the_vendor_cannot_tell(client, emulated_account):
    account, _ = emulated_account("voicenter")
    campaign = campaign_on(account)
    remote = CampaignRemote.objects.create(
        campaign=campaign, remote_ref={"remote_id": "1"}, drift_checked_at=timezone.now(),
        drift_held_after_removal=0, drift_missing=None, drift_unknown=0,
        drift_note="Voicenter lists only calls still waiting.",
    )  # fmt: skip
    html = _panel_of(client, campaign).content.decode()
    assert "No drift in what the dialer lists." in html
    assert "In step" not in html
    assert "Voicenter lists only calls still waiting." in html

    CampaignRemote.objects.filter(pk=remote.pk).update(
        drift_held_after_removal=None, drift_unknown=None
    )
    html = _panel_of(client, campaign).content.decode()
    assert "The dialer's leads could not be compared." in html


def test_the_panel_says_when_it_was_never_checked(client, emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account)
    CampaignRemote.objects.create(campaign=campaign, remote_ref={"remote_id": "a" * 24})
    assert "Not compared with the dialer yet." in _panel_of(client, campaign).content.decode()


def test_repair_button_enqueues_a_repair_job(client, emulated_account):
    _, _, campaign, _, _ = _synced("webitel", emulated_account, count=1)
    client.force_login(UserFactory(role=Role.SUPERVISOR, with_team=True))
    response = client.post(
        reverse("sync:campaign-repair", args=[campaign.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Repairing the dialer" in response.content.decode()
    job = SyncJob.objects.get(operation=Operation.RECONCILE_REPAIR)
    assert job.payload == {"remove": True}


def test_check_and_repair_refuse_a_campaign_not_on_the_dialer(client, emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account)
    client.force_login(UserFactory(role=Role.SUPERVISOR, with_team=True))
    for name in ("sync:campaign-reconcile", "sync:campaign-repair"):
        response = client.post(reverse(name, args=[campaign.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "not on the dialer yet" in response.content.decode()
    assert not SyncJob.objects.exists()


def test_team_leads_cannot_repair(client, emulated_account):
    _, _, campaign, _, _ = _synced("webitel", emulated_account, count=1)
    client.force_login(UserFactory(role=Role.TEAM_LEAD, with_team=True))
    for name in ("sync:campaign-reconcile", "sync:campaign-repair"):
        assert client.post(reverse(name, args=[campaign.pk])).status_code == 403
    assert not SyncJob.objects.filter(operation__startswith="reconcile").exists()


def test_the_api_gives_the_drift(client, emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account)
    checked = timezone.now()
    CampaignRemote.objects.create(
        campaign=campaign, remote_ref={"remote_id": "a" * 24}, drift_checked_at=checked,
        drift_held_after_removal=2, drift_missing=0, drift_unknown=1, drift_settings="priority",
    )  # fmt: skip
    client.force_login(UserFactory(role=Role.SUPERVISOR, with_team=True))
    drift = client.get(f"/api/v1/sync/campaigns/{campaign.pk}/").json()["drift"]
    assert drift["held_after_removal"] == 2
    assert drift["missing"] == 0
    assert drift["unknown"] == 1
    assert drift["words"] == [
        "the dialer holds 2 leads the console removed",
        "the dialer holds 1 lead the console never pushed",
        "the dialer's settings differ (priority)",
    ]


@pytest.mark.parametrize(
    ("kind", "leads", "settings_read"),
    [
        ("webitel", True, True),
        ("jtel", True, True),
        ("voicenter", True, True),
        ("acefone", True, False),
        ("ozonetel", False, False),
    ],
)
def test_the_capability_matrix_says_what_each_vendor_can_compare(kind, leads, settings_read):
    from vendors.selectors import vendor_capability_rows

    rows = {row.capability: row for row in vendor_capability_rows(kind=kind)}
    for capability, supported in (
        (Capability.RECONCILE_LEADS, leads),
        (Capability.RECONCILE_SETTINGS, settings_read),
    ):
        row = rows[capability]
        assert row.label.startswith("Compare the ")
        assert row.supported is supported
        assert supported or row.reason  # what a vendor cannot do comes with its reason
