"""The supervisors' audit page (filters, keyset pages), its CSV export, the sections on
object pages, read-only everywhere, and the retention prune."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from audit.context import Door, audit_door
from audit.models import LeadChange
from audit.services import audit_prune
from campaigns.models import Campaign
from tests.audit.conftest import entries_of
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import LeadListFactory

pytestmark = pytest.mark.django_db


def _teams(count, door=Door.PAGE):
    with audit_door(door):
        return [Team.objects.create(name=f"Team {door} {n}") for n in range(count)]


def test_the_page_filters_by_door_type_object_and_dates(supervisor_client):
    page_team, *_ = _teams(2, Door.PAGE)
    api_team, *_ = _teams(1, Door.API)
    url = reverse("audit:list")
    team_type = ContentType.objects.get_for_model(Team).pk
    html = supervisor_client.get(url, {"door": "api"}).content.decode()
    assert html.count("data-audit-entry=") == 1 and api_team.name in html
    html = supervisor_client.get(
        url, {"object_type": team_type, "object_id": page_team.pk}
    ).content.decode()
    assert html.count("data-audit-entry=") == 1 and page_team.name in html
    today = timezone.localdate()
    later = (today + datetime.timedelta(days=1)).isoformat()
    html = supervisor_client.get(url, {"since": later}).content.decode()
    assert "data-audit-entry=" not in html and "No entries." in html
    html = supervisor_client.get(
        url, {"since": today.isoformat(), "until": today.isoformat(), "object_type": team_type}
    ).content.decode()
    assert html.count("data-audit-entry=") == 3


def test_the_page_filters_by_who(supervisor_client, supervisor, team_lead):
    with audit_door(Door.PAGE, actor=team_lead):
        Team.objects.create(name="By the lead")
    with audit_door(Door.PAGE, actor=supervisor):
        Team.objects.create(name="By the supervisor")
    html = supervisor_client.get(reverse("audit:list"), {"actor": team_lead.pk}).content.decode()
    assert "By the lead" in html and "By the supervisor" not in html


def test_bad_filters_are_said_not_a_500(supervisor_client):
    url = reverse("audit:list")
    response = supervisor_client.get(url, {"since": "2026-13-45", "door": "window"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date." in html and "Select a valid choice." in html
    response = supervisor_client.get(url, {"since": "2026-02-02", "until": "2026-01-01"})
    assert "The end date is before the start date." in response.content.decode()
    assert supervisor_client.get(url, {"after": "garbage~x"}).status_code == 200
    assert supervisor_client.get(reverse("audit:export"), {"door": "x"}).status_code == 400


def test_pages_are_keyset_pages_both_ways(supervisor_client):
    _teams(55)
    team_type = ContentType.objects.get_for_model(Team).pk
    first = supervisor_client.get(reverse("audit:list"), {"object_type": team_type})
    page = first.context["page"]
    assert len(page.rows) == 50 and page.next_url and not page.prev_url
    second = supervisor_client.get(page.next_url).context["page"]
    assert len(second.rows) == 5 and second.prev_url
    assert {r.entry.pk for r in page.rows}.isdisjoint({r.entry.pk for r in second.rows})


def test_csv_export_is_streamed_with_a_bom_and_escapes_formulas(supervisor_client, supervisor):
    with audit_door(Door.API, actor=supervisor):
        CampaignFactory(name="=HYPERLINK(1)", vendor_account=VendorAccountFactory())
    response = supervisor_client.get(reverse("audit:export"), {"door": "api"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffid,when,who,address,door,action,object type")
    lines = body.strip().splitlines()
    campaign_lines = [line for line in lines if "HYPERLINK" in line]
    assert campaign_lines and all("'=HYPERLINK(1)" in line for line in campaign_lines)
    assert all(",API," in line for line in lines[1:])
    assert len(lines) - 1 == LogEntry.objects.filter(additional_data__door="api").count()


def test_object_pages_show_their_history_to_supervisors_only(
    supervisor_client, client, team_lead, accounts
):
    lead_list = LeadListFactory(team=team_lead.team, name="Old name")
    with audit_door(Door.PAGE):
        lead_list.name = "New name"
        lead_list.save()
    url = reverse("leads:detail", args=[lead_list.pk])
    html = supervisor_client.get(url).content.decode()
    assert "Change history" in html and "Old name → New name" in html
    client.force_login(team_lead)
    html = client.get(url).content.decode()
    assert "Change history" not in html and "Old name" not in html


@pytest.mark.parametrize(
    "name", ["agent", "disposition-list", "pause-code-list", "calling-window"], ids=str
)
def test_library_edit_pages_show_their_history(supervisor_client, name):
    from campaigns import models as c

    made = {
        "agent": lambda: c.Agent.objects.create(name="Ann", email="ann@example.test"),
        "disposition-list": lambda: c.DispositionList.objects.create(name="Outcomes"),
        "pause-code-list": lambda: c.PauseCodeList.objects.create(name="Pauses"),
        "calling-window": lambda: c.CallingWindow.objects.create(name="Office"),
    }[name]()
    html = supervisor_client.get(reverse(f"campaigns:{name}-edit", args=[made.pk])).content.decode()
    assert "Change history" in html and "Create" in html


def test_campaign_vendor_account_and_dnc_pages_show_their_history(supervisor_client, accounts):
    from leads.models import DncEntry

    campaign = CampaignFactory(vendor_account=accounts["jtel"])
    entry = DncEntry.objects.create(phone="+12125550100")
    for url in (
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("vendors:account-detail", args=[accounts["jtel"].pk]),
        reverse("dnc:edit", args=[entry.pk]),
    ):
        html = supervisor_client.get(url).content.decode()
        assert "Change history" in html and 'data-audit-entry="' in html, url


def test_the_console_offers_no_way_to_change_or_delete_an_entry(supervisor_client):
    _teams(1)
    entry = entries_of(Team).get()
    assert supervisor_client.post(reverse("audit:list")).status_code == 405
    assert supervisor_client.post(reverse("audit:export")).status_code == 405
    from django.urls import get_resolver

    routes = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("audit" in route or "logentry" in route for route in routes if "api" in route)
    assert entries_of(Team).get().changes == entry.changes


def test_the_admin_shows_entries_but_refuses_edits_and_deletes(client, staff_supervisor):
    _teams(1)
    entry = entries_of(Team).get()
    client.force_login(staff_supervisor)
    base = f"/admin/auditlog/logentry/{entry.pk}"
    assert client.get("/admin/auditlog/logentry/").status_code == 200
    assert client.get(f"{base}/change/").status_code == 200  # read-only view
    assert client.post(f"{base}/change/", {"object_repr": "forged"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403
    bulk = client.post(
        "/admin/auditlog/logentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert LogEntry.objects.filter(pk=entry.pk, object_repr=entry.object_repr).exists()


def test_the_prune_keeps_the_retention_period(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old, recent = _teams(2)
    LogEntry.objects.filter(object_pk=str(old.pk)).update(
        timestamp=timezone.now() - datetime.timedelta(days=31)
    )
    LeadChange.objects.create(
        lead_id=1, at=timezone.now() - datetime.timedelta(days=31), kind="bulk_move", door="page"
    )
    kept = LeadChange.objects.create(lead_id=1, at=timezone.now(), kind="bulk_move", door="page")
    assert audit_prune() == 2
    assert not entries_of(Team, old.pk).exists() and entries_of(Team, recent.pk).exists()
    assert list(LeadChange.objects.all()) == [kept]


def test_the_prune_runs_nightly_from_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["audit-prune"]
    assert schedule["task"] == "audit.tasks.audit_entries_prune"
    from audit.tasks import audit_entries_prune

    assert audit_entries_prune.apply().get() == 0


def test_campaigns_from_the_factory_have_no_model_shadowing():
    # Guards the registry: the campaign's reverse one-to-one stays unread on create.
    campaign = CampaignFactory(vendor_account=VendorAccountFactory())
    assert "sync_remote" not in campaign._state.fields_cache
    assert Campaign.objects.filter(pk=campaign.pk).exists()
