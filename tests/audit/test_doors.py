"""Each door records itself, the user and the address, and the changed fields: page, API,
admin, command and worker."""

import pytest
from auditlog.models import LogEntry
from celery import shared_task
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Team, User
from audit.context import Door, audit_door
from campaigns.models import Campaign, DispositionList
from tests.audit.conftest import entries_of
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.page_forms import form_data
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


def _last(model, pk):
    return entries_of(model, pk).last()


def test_a_campaign_changed_on_its_page_records_page_user_address_and_fields(
    supervisor_client, supervisor, accounts
):
    campaign = CampaignFactory(
        vendor_account=accounts["jtel"],
        vendor_settings=VALID_SETTINGS["jtel"],
        caller_id="+4930111",
    )
    url = reverse("campaigns:edit", args=[campaign.pk])
    html = supervisor_client.get(url).content.decode()
    data = form_data(html, "campaign-form")
    data["caller_id"] = "+4930222"
    response = supervisor_client.post(url, data, REMOTE_ADDR="203.0.113.7")
    errors = [line for line in response.content.decode().splitlines() if "error" in line]
    assert response.status_code == 302, errors
    entry = _last(Campaign, campaign.pk)
    assert entry.additional_data["door"] == Door.PAGE
    assert entry.actor == supervisor and entry.remote_addr == "203.0.113.7"
    assert entry.changes["caller_id"] == ["+4930111", "+4930222"]


def test_a_campaign_changed_through_the_api_records_the_token_user(
    api_client, supervisor, accounts
):
    campaign = CampaignFactory(vendor_account=accounts["jtel"], name="Before")
    api_client.force_authenticate(supervisor)
    response = api_client.patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"name": "After"}, format="json"
    )
    assert response.status_code == 200
    entry = _last(Campaign, campaign.pk)
    assert entry.additional_data["door"] == Door.API and entry.actor == supervisor
    assert entry.changes["name"] == ["Before", "After"]


def test_a_team_renamed_in_the_admin_records_the_admin_door(client, staff_supervisor):
    team = Team.objects.create(name="North")
    client.force_login(staff_supervisor)
    response = client.post(f"/admin/accounts/team/{team.pk}/change/", {"name": "Nord"})
    assert response.status_code == 302
    entry = _last(Team, team.pk)
    assert entry.additional_data["door"] == Door.ADMIN and entry.actor == staff_supervisor
    assert entry.changes["name"] == ["North", "Nord"]


def test_a_user_made_by_a_command_records_the_command_door_and_masks_the_password():
    call_command("create_supervisor", "ops", "--password", "a-long-secret-2026", stdout=None)
    user = User.objects.get(username="ops")
    entries = list(entries_of(User, user.pk))
    assert entries and {e.additional_data["door"] for e in entries} == {Door.COMMAND}
    assert all(e.actor is None for e in entries)
    created = entries[0]
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["password"] == ["(secret)", "(secret)"]
    assert "a-long-secret-2026" not in str(created.changes) and user.password not in str(
        created.changes
    )
    # The role given is a change of the user's groups, recorded too.
    assert any("groups" in (e.changes or {}) for e in entries)


@shared_task(name="tests.audit.team_rename")
def team_rename(team_id, name):
    team = Team.objects.get(pk=team_id)
    team.name = name
    team.save()


def test_a_change_in_a_celery_task_records_the_worker_door():
    team = Team.objects.create(name="Queued")
    team_rename.apply(args=[team.pk, "Renamed by a task"])  # with its signals, as a worker
    assert _last(Team, team.pk).additional_data["door"] == Door.WORKER


def test_an_eager_task_inside_a_request_keeps_the_request_door(supervisor):
    team = Team.objects.create(name="Inline")
    with audit_door(Door.API):
        team_rename.apply(args=[team.pk, "Renamed inline"])
    assert _last(Team, team.pk).additional_data["door"] == Door.API


def test_a_code_list_edited_on_its_page_is_one_entry_with_old_and_new_codes(supervisor_client):
    url = reverse("campaigns:disposition-list-new")
    base = {"name": "Outcomes", "codes-TOTAL": "1", "codes-0-code": "SALE", "codes-0-label": "Sale"}
    assert supervisor_client.post(url, base).status_code == 302
    saved = DispositionList.objects.get()
    edit = reverse("campaigns:disposition-list-edit", args=[saved.pk])
    changed = {**base, "codes-0-label": "Sold"}
    assert supervisor_client.post(edit, changed).status_code == 302
    last = _last(DispositionList, saved.pk)
    assert last.changes["codes"] == [["SALE: Sale"], ["SALE: Sold"]]
    assert last.additional_data["door"] == Door.PAGE
    # No delete entry per old code: the replacement is one entry on the list.
    from campaigns.models import DispositionCode

    assert not entries_of(DispositionCode).exists()
