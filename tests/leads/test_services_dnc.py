"""The do-not-call list's services: reading pasted numbers, adding in bulk, the effect on
waiting leads and their dialers, editing and removing, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dialer_console.errors import ApplicationError
from leads import services
from leads.models import DncEntry, DncScope, Lead, LeadStatus
from leads.services import DncTarget
from sync.models import LeadSync, Operation, SyncJob
from sync.services import sync_on_campaign_saved
from tests.accounts.factories import UserFactory
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.sync.remote import phones_on_dialer

pytestmark = pytest.mark.django_db
# The sync tests' fixtures: vendor accounts on emulators; jobs recorded, not published.
emulated_account = sync_fixtures.emulated_account
published = sync_fixtures.published
EVERYWHERE = DncTarget(DncScope.EVERYWHERE)


def _add(text, *, target=EVERYWHERE, user=None, country="US", **kwargs):
    return services.dnc_entries_add(
        numbers=services.dnc_numbers_split(text),
        country=country,
        target=target,
        acting_user=user or UserFactory(role="Supervisor"),
        **kwargs,
    )


def test_pasted_numbers_are_split_by_lines_commas_and_semicolons():
    text = "212 555 0100\n\n +1 (212) 555-0101 , 2125550102;x\r\n  "
    assert services.dnc_numbers_split(text) == [
        (1, "212 555 0100"),
        (3, "+1 (212) 555-0101"),
        (3, "2125550102"),
        (3, "x"),
    ]


def test_valid_numbers_are_added_and_invalid_ones_reported_line_by_line():
    result = _add("030 1234567\nnot a number\n+1 212 555 0100, 12345", country="DE")
    assert sorted(DncEntry.objects.values_list("phone", flat=True)) == [
        "+12125550100",
        "+49301234567",
    ]
    assert [(n.line, n.text) for n in result.invalid] == [(2, "not a number"), (3, "12345")]
    assert (
        result.invalid[0].message == "“not a number” is not a valid phone number when read as DE."
    )
    assert result.counts == {
        "added": 2,
        "renewed": 0,
        "already_listed": 0,
        "invalid": 2,
        "repeated": 0,
        "leads_marked_dnc": 0,
    }


def test_a_number_is_listed_once_per_scope_and_an_expired_listing_is_renewed():
    lead_list = LeadListFactory()
    DncEntryFactory(phone="+12125550100")
    DncEntryFactory(phone="+12125550101", expires_at=timezone.now() - datetime.timedelta(days=1))
    supervisor = UserFactory(role="Supervisor")
    result = _add(
        "2125550100\n212-555-0101\n2125550102\n(212) 555-0102", reason="Complaint", user=supervisor
    )
    assert result.counts["added"] == 1
    assert result.counts["renewed"] == 1
    assert result.counts["already_listed"] == 1
    assert result.counts["repeated"] == 1
    assert DncEntry.objects.filter(scope="everywhere").count() == 3
    renewed = DncEntry.objects.get(phone="+12125550101")
    assert renewed.expires_at is None and renewed.reason == "Complaint"
    assert renewed.created_by == supervisor
    # The same number in another scope is another listing.
    in_list = _add("2125550100", target=DncTarget(DncScope.LIST, lead_list=lead_list))
    assert in_list.counts["added"] == 1
    assert DncEntry.objects.filter(phone="+12125550100").count() == 2


@pytest.mark.parametrize(
    ("text", "target", "kwargs", "message"),
    [
        ("", EVERYWHERE, {}, "Enter at least one phone number."),
        (" \n , ", EVERYWHERE, {}, "Enter at least one phone number."),
        ("2125550100", DncTarget(DncScope.LIST), {}, "Choose the lead list."),
        ("2125550100", DncTarget(DncScope.CAMPAIGN), {}, "Choose the campaign."),
        ("2125550100", DncTarget(DncScope.CAMPAIGN, 987654), {}, "There is no campaign 987654."),
        ("2125550100", DncTarget("planet"), {}, "“planet” is not a scope."),
        (
            "2125550100",
            EVERYWHERE,
            {"expires_at": timezone.now() - datetime.timedelta(minutes=1)},
            "The expiry must be in the future.",
        ),
    ],
)
def test_bad_input_is_refused_in_plain_words(text, target, kwargs, message):
    with pytest.raises(ApplicationError) as error:
        _add(text, target=target, **kwargs)
    assert error.value.message == message
    assert not DncEntry.objects.exists()


def test_more_than_ten_thousand_numbers_are_refused_whole():
    text = "\n".join(f"+1212555{n % 10000:04d}" for n in range(services.DNC_MAX_NUMBERS + 1))
    with pytest.raises(ApplicationError, match="At most 10,000 numbers can be added at once"):
        _add(text)
    assert not DncEntry.objects.exists()


def test_ten_thousand_numbers_at_once():
    text = "\n".join(f"+4930{n:07d}" for n in range(services.DNC_MAX_NUMBERS))
    result = _add(text)
    assert result.counts["added"] == services.DNC_MAX_NUMBERS
    assert DncEntry.objects.count() == services.DNC_MAX_NUMBERS


def test_waiting_leads_in_the_scope_become_dnc_and_counts_move():
    team_list, other_list = LeadListFactory(), LeadListFactory()
    waiting = LeadFactory(lead_list=team_list, phone="+12125550100")
    done = LeadFactory(lead_list=team_list, phone="+12125550100", status=LeadStatus.DONE)
    elsewhere = LeadFactory(lead_list=other_list, phone="+12125550100")
    team_list.valid_count, team_list.dnc_count = 1, 0
    team_list.save()
    result = _add("212 555 0100", target=DncTarget(DncScope.LIST, lead_list=team_list))
    assert result.leads_marked == [waiting.pk]
    statuses = dict(Lead.objects.values_list("pk", "status"))
    assert statuses == {waiting.pk: "dnc", done.pk: "done", elsewhere.pk: "new"}
    team_list.refresh_from_db()
    assert (team_list.valid_count, team_list.dnc_count) == (0, 1)
    _add("2125550100")  # everywhere now
    assert Lead.objects.get(pk=elsewhere.pk).status == LeadStatus.DNC


def test_a_campaign_listing_applies_to_the_campaigns_lists_only(emulated_account):
    account, _ = emulated_account("webitel")
    dialled = lead_list_with_leads(2)
    campaign = campaign_on(account, lead_list=dialled)
    other = lead_list_with_leads(2)
    phone = dialled.leads.first().phone
    result = _add(phone, target=DncTarget(DncScope.CAMPAIGN, campaign.pk))
    assert len(result.leads_marked) == 1
    assert Lead.objects.get(lead_list=dialled, phone=phone).status == LeadStatus.DNC
    assert Lead.objects.get(lead_list=other, phone=phone).status == LeadStatus.NEW


def test_a_lead_pushed_to_a_dialer_is_taken_off_it(emulated_account):
    account, emulator = emulated_account("webitel")
    lead_list = lead_list_with_leads(3)
    campaign = campaign_on(account, lead_list=lead_list)
    sync_on_campaign_saved(campaign=campaign)
    run_jobs()
    lead = lead_list.leads.order_by("pk").first()
    assert LeadSync.objects.get(lead=lead).state == "pushed"
    _add(lead.phone)
    job = SyncJob.objects.get(operation=Operation.LEAD_REMOVE)
    assert (job.lead_id, job.campaign_id, job.payload) == (
        lead.pk,
        campaign.pk,
        {"phone": lead.phone},
    )
    run_jobs()
    assert lead.phone not in phones_on_dialer("webitel", emulator, campaign)
    assert len(phones_on_dialer("webitel", emulator, campaign)) == 2
    # Counted as DNC on the sync panel, not as removed (issue 16, defect 1).
    assert LeadSync.objects.get(lead=lead).state == "dnc"


def test_leads_no_dialer_holds_need_no_sync_job():
    LeadFactory(phone="+12125550100")
    result = _add("2125550100")
    assert len(result.leads_marked) == 1
    assert not SyncJob.objects.exists()


def test_the_listing_and_its_effects_commit_together(monkeypatch):
    LeadFactory(phone="+12125550100")

    def broken(**kwargs):
        raise RuntimeError("outbox write failed")

    monkeypatch.setattr("leads.services.dnc.LeadList.objects.filter", broken)
    with pytest.raises(RuntimeError):
        _add("2125550100")
    assert not DncEntry.objects.exists()
    assert Lead.objects.get().status == LeadStatus.NEW


def test_team_leads_list_numbers_on_their_own_teams_lists_only():
    lead = UserFactory(role="Team lead", with_team=True)
    own = LeadListFactory(team=lead.team)
    foreign = LeadListFactory()
    _add("2125550100", target=DncTarget(DncScope.LIST, lead_list=own), user=lead)
    for target in (EVERYWHERE, DncTarget(DncScope.LIST, lead_list=foreign)):
        with pytest.raises(ApplicationError, match="only on your own team's lead lists"):
            _add("2125550101", target=target, user=lead)
    assert list(DncEntry.objects.values_list("phone", flat=True)) == ["+12125550100"]


def test_editing_the_expiry_and_applying_again_when_it_comes_back():
    supervisor = UserFactory(role="Supervisor")
    entry = DncEntryFactory(
        phone="+12125550100", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    lead = LeadFactory(phone="+12125550100")
    later = timezone.now() + datetime.timedelta(days=30)
    services.dnc_entry_update(
        entry=entry, data={"expires_at": later, "reason": "Renewed"}, acting_user=supervisor
    )
    entry.refresh_from_db()
    assert (entry.expires_at, entry.reason) == (later, "Renewed")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DNC


def test_removing_an_entry_does_not_bring_leads_back():
    supervisor = UserFactory(role="Supervisor")
    lead = LeadFactory(phone="+12125550100")
    _add("2125550100", user=supervisor)
    services.dnc_entry_delete(entry=DncEntry.objects.get(), acting_user=supervisor)
    assert not DncEntry.objects.exists()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DNC


def test_team_leads_cannot_change_other_teams_or_global_entries():
    team_lead = UserFactory(role="Team lead", with_team=True)
    own = DncEntryFactory(scope="list", lead_list=LeadListFactory(team=team_lead.team))
    for entry in (
        DncEntryFactory(phone="+12125550101"),
        DncEntryFactory(scope="list", lead_list=LeadListFactory()),
    ):
        with pytest.raises(ApplicationError, match="Only a supervisor can change this entry"):
            services.dnc_entry_delete(entry=entry, acting_user=team_lead)
    services.dnc_entry_delete(entry=own, acting_user=team_lead)
    assert DncEntry.objects.count() == 2


def test_dnc_entry_create_finds_a_listed_number_instead_of_listing_it_twice():
    first = services.dnc_entry_create(phone="(212) 555-0100", reason="first")
    again = services.dnc_entry_create(phone="+12125550100", reason="second")
    assert first.pk == again.pk and again.reason == "first"
    with pytest.raises(ApplicationError, match="is not a valid phone number"):
        services.dnc_entry_create(phone="nope")
