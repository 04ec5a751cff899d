"""Team isolation of every door that writes leads (issue 11, "cross-team write").

The North team imports into its list ``target`` two numbers: one already a lead in another
North list (``own``), one already a lead in a South list (``foreign``). Each role acting for
North, through each door, with each duplicate scope and policy, must never update, report
as a duplicate or hand back the id of the South lead; only a supervisor reaches it.

``own_campaign`` (North's) also holds the South list through a link made before campaigns
were limited to their team's lists: the scope is what the user may see of the campaign's
lists, not the links themselves.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from campaigns.models import CampaignLeadList
from leads import services
from leads.models import ImportJob, Lead
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import CampaignFactory
from tests.leads.factories import LeadFactory, LeadListFactory, csv_upload

pytestmark = pytest.mark.django_db

OWN_PHONE, FOREIGN_PHONE = "+12125550100", "+12125550200"
CSV = "Phone,First name\n212-555-0100,New\n212-555-0200,New\n"
ROLES = {"supervisor": "Supervisor", "team lead": "Team lead", "API consumer": "API consumer"}
SCOPES = ("list", "own_campaign", "foreign_campaign", "everywhere")


@dataclass
class World:
    target: object  # North's list the import goes into
    own: Lead  # a lead in another North list
    foreign: Lead  # a lead in a South list
    own_campaign: object
    foreign_campaign: object


@pytest.fixture
def world() -> World:
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    target = LeadListFactory(team=north, name="North target")
    own = LeadFactory(lead_list=LeadListFactory(team=north), phone=OWN_PHONE, first_name="Old")
    foreign = LeadFactory(
        lead_list=LeadListFactory(team=south), phone=FOREIGN_PHONE, first_name="Old"
    )
    own_campaign = CampaignFactory(team=north)
    foreign_campaign = CampaignFactory(team=south)
    for campaign, lead in (
        (own_campaign, own),
        (own_campaign, foreign),
        (foreign_campaign, foreign),
    ):
        CampaignLeadList.objects.create(campaign=campaign, lead_list=lead.lead_list)
    return World(target, own, foreign, own_campaign, foreign_campaign)


@dataclass
class DoorResult:
    refused: str = ""  # the message, when the door refused the request
    job: ImportJob | None = None
    lead_ids: tuple[int, ...] = ()  # every lead id the reply carried


def _policy(world: World, scope: str) -> tuple[str, int | None]:
    """The duplicate scope to ask for, and its campaign."""
    if scope == "own_campaign":
        return "campaign", world.own_campaign.pk
    if scope == "foreign_campaign":
        return "campaign", world.foreign_campaign.pk
    return scope, None


def _bulk_api(user, world: World, policy: str, scope: str, tmp_path) -> DoorResult:
    duplicate_scope, campaign_id = _policy(world, scope)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        reverse("api-leads-bulk-add", args=[world.target.pk]),
        {
            "leads": [
                {"phone": phone, "first_name": "New"} for phone in (OWN_PHONE, FOREIGN_PHONE)
            ],
            "duplicate_policy": policy,
            "duplicate_scope": duplicate_scope,
            "scope_campaign": campaign_id,
        },
        format="json",
    )
    if response.status_code == 400:
        return DoorResult(refused=response.json()["message"])
    assert response.status_code == 201, response.json()
    body = response.json()
    ids = tuple(row["lead_id"] for row in body["results"] if row["lead_id"] is not None)
    return DoorResult(job=ImportJob.objects.get(pk=body["import_job"]), lead_ids=ids)


def _import_api(user, world: World, policy: str, scope: str, tmp_path) -> DoorResult:
    duplicate_scope, campaign_id = _policy(world, scope)
    client = APIClient()
    client.force_authenticate(user)
    data = {
        "file": csv_upload(CSV),
        "lead_list": world.target.pk,
        "duplicate_policy": policy,
        "duplicate_scope": duplicate_scope,
    }
    if campaign_id:
        data["scope_campaign"] = campaign_id
    response = client.post(reverse("api-imports"), data, format="multipart")
    if response.status_code == 400:
        return DoorResult(refused=response.json()["message"])
    assert response.status_code == 201, response.json()
    services.lead_import_run(job_id=response.json()["id"])
    return DoorResult(job=ImportJob.objects.get(pk=response.json()["id"]))


def _import_page(user, world: World, policy: str, scope: str, tmp_path) -> DoorResult:
    from django.test import Client

    duplicate_scope, campaign_id = _policy(world, scope)
    client = Client()
    client.force_login(user)
    client.post(reverse("leads:import-upload", args=[world.target.pk]), {"file": csv_upload(CSV)})
    job = ImportJob.objects.get()
    response = client.post(
        reverse("leads:import-mapping", args=[job.pk]),
        {
            "column_0": "phone",
            "column_1": "first_name",
            "default_country": "US",
            "duplicate_policy": policy,
            "duplicate_scope": duplicate_scope,
            "scope_campaign": campaign_id or "",
            "dnc_scrub": "on",
        },
    )
    if response.status_code == 200:  # the form again, with its errors
        errors = response.context["form"].errors
        return DoorResult(refused=str(errors))
    assert response.url == reverse("leads:import-detail", args=[job.pk])
    services.lead_import_run(job_id=job.pk)
    return DoorResult(job=ImportJob.objects.get(pk=job.pk))


def _command(user, world: World, policy: str, scope: str, tmp_path) -> DoorResult:
    duplicate_scope, campaign_id = _policy(world, scope)
    path = tmp_path / "leads.csv"
    path.write_text(CSV)
    args = [path, "--list", world.target.name, "--user", user.username, "--no-progress"]
    args += ["--duplicates", policy, "--scope", duplicate_scope]
    if campaign_id:
        args += ["--campaign", str(campaign_id)]
    try:
        call_command("import_leads", *args, stdout=io.StringIO())
    except CommandError as error:
        return DoorResult(refused=str(error))
    return DoorResult(job=ImportJob.objects.get())


DOORS = {
    "bulk API": _bulk_api,
    "import API": _import_api,
    "import page": _import_page,
    "import_leads --user": _command,
}


def _reaches(role: str, scope: str) -> tuple[bool, bool]:
    """Whether the scope reaches the North lead and the South lead, for this role."""
    supervisor = role == "supervisor"
    own = scope in ("own_campaign", "everywhere")
    foreign = supervisor and scope in ("own_campaign", "foreign_campaign", "everywhere")
    return own, foreign


@pytest.mark.parametrize("policy", ["update", "skip"])
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("door", DOORS)
def test_a_door_never_reaches_past_what_the_user_may_see(
    world, door, role, scope, policy, tmp_path
):
    team = None if role == "supervisor" else world.target.team
    user = UserFactory(role=ROLES[role], team=team)
    result = DOORS[door](user, world, policy, scope, tmp_path)

    if role != "supervisor" and scope == "foreign_campaign":
        assert result.refused, "a campaign the user cannot see must be refused"
        assert "campaign" in result.refused.lower() or "valid choice" in result.refused
        assert not Lead.objects.filter(lead_list=world.target).exists()
    else:
        assert not result.refused, result.refused
        reaches_own, reaches_foreign = _reaches(role, scope)
        reached = int(reaches_own) + int(reaches_foreign)
        job = result.job
        assert job.state == "done", job.error_message
        assert job.imported_count == 2 - reached
        if policy == "update":
            assert (job.updated_count, job.duplicate_count) == (reached, 0)
        else:
            assert (job.updated_count, job.duplicate_count) == (0, reached)
    world.own.refresh_from_db()
    world.foreign.refresh_from_db()
    own_updated = not result.refused and policy == "update" and _reaches(role, scope)[0]
    foreign_updated = not result.refused and policy == "update" and _reaches(role, scope)[1]
    assert world.own.first_name == ("New" if own_updated else "Old")
    assert world.foreign.first_name == ("New" if foreign_updated else "Old")
    if role != "supervisor":
        assert world.foreign.pk not in result.lead_ids


def test_the_bulk_reply_carries_the_ids_it_may(world):
    """The positive side of the matrix's id check: a team lead gets their own lead's id."""
    user = UserFactory(role="Team lead", team=world.target.team)
    result = _bulk_api(user, world, "update", "everywhere", None)
    assert world.own.pk in result.lead_ids and world.foreign.pk not in result.lead_ids


def test_the_command_without_user_acts_as_the_operator(world, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(CSV)
    call_command(
        "import_leads", path, "--list", world.target.name, "--no-progress",
        "--duplicates", "update", "--scope", "everywhere", stdout=io.StringIO(),
    )  # fmt: skip
    world.foreign.refresh_from_db()
    assert world.foreign.first_name == "New"
    assert ImportJob.objects.get().acting_user is None


def test_the_command_names_only_the_users_lists(world, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(CSV)
    user = UserFactory(role="Team lead", team=world.foreign.lead_list.team)
    with pytest.raises(CommandError, match="No lead list named 'North target'"):
        call_command(
            "import_leads", path, "--list", world.target.name, "--user", user.username,
            "--no-progress", stdout=io.StringIO(),
        )  # fmt: skip


def test_the_command_refuses_an_unknown_user_or_one_without_the_right(world, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(CSV)
    common = [path, "--list", world.target.name, "--no-progress"]
    with pytest.raises(CommandError, match="No active user named 'ghost'"):
        call_command("import_leads", *common, "--user", "ghost", stdout=io.StringIO())
    nobody = UserFactory(team=world.target.team)
    with pytest.raises(CommandError, match="may not import leads"):
        call_command("import_leads", *common, "--user", nobody.username, stdout=io.StringIO())


def test_the_command_creates_a_missing_list_in_the_users_team(world, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(CSV)
    user = UserFactory(role="Team lead", team=world.target.team)
    call_command(
        "import_leads", path, "--list", "Fresh", "--create", "--user", user.username,
        "--no-progress", stdout=io.StringIO(),
    )  # fmt: skip
    job = ImportJob.objects.get()
    assert job.lead_list.team == user.team and job.acting_user == user


def test_a_job_without_an_acting_user_is_bounded_by_its_creator(world):
    """Jobs queued before the acting user was recorded (or whose configuring user was
    deleted) fall back to their creator's visibility, not to the operator's."""
    user = UserFactory(role="Team lead", team=world.target.team)
    job = services.import_job_create(
        lead_list=world.target, upload=csv_upload(CSV), acting_user=user
    )
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=user,
        duplicate_policy="update", duplicate_scope="everywhere",
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(acting_user=None)
    services.import_job_start(job=job, enqueue=False)
    job = services.lead_import_run(job_id=job.pk)
    world.foreign.refresh_from_db()
    assert (job.updated_count, world.foreign.first_name) == (1, "Old")


def test_the_mapping_page_offers_only_the_scopes_the_user_may_use(world, client):
    user = UserFactory(role="Team lead", team=world.target.team)
    client.force_login(user)
    client.post(reverse("leads:import-upload", args=[world.target.pk]), {"file": csv_upload(CSV)})
    job = ImportJob.objects.get()
    form = client.get(reverse("leads:import-mapping", args=[job.pk])).context["form"]
    assert dict(form.fields["duplicate_scope"].choices)["everywhere"] == "Every list of my team"
    campaigns = [pk for pk, _ in form.fields["scope_campaign"].choices if pk]
    assert campaigns == [world.own_campaign.pk]


def test_without_a_visible_campaign_the_page_offers_no_campaign_scope(world, client):
    user = UserFactory(role="Team lead", with_team=True)
    lead_list = LeadListFactory(team=user.team)
    client.force_login(user)
    client.post(reverse("leads:import-upload", args=[lead_list.pk]), {"file": csv_upload(CSV)})
    job = ImportJob.objects.get()
    form = client.get(reverse("leads:import-mapping", args=[job.pk])).context["form"]
    assert [value for value, _ in form.fields["duplicate_scope"].choices] == ["list", "everywhere"]
    assert "scope_campaign" not in form.fields


def test_a_supervisor_is_offered_every_list_and_every_campaign(world, client):
    client.force_login(UserFactory(role="Supervisor"))
    client.post(reverse("leads:import-upload", args=[world.target.pk]), {"file": csv_upload(CSV)})
    job = ImportJob.objects.get()
    form = client.get(reverse("leads:import-mapping", args=[job.pk])).context["form"]
    assert dict(form.fields["duplicate_scope"].choices)["everywhere"] == "Every list"
    campaigns = {pk for pk, _ in form.fields["scope_campaign"].choices if pk}
    assert campaigns == {world.own_campaign.pk, world.foreign_campaign.pk}
