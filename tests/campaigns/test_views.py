from html import unescape

import pytest
from django.urls import reverse

from campaigns.models import Campaign, DispositionList
from tests.campaigns.factories import (
    CampaignFactory,
    DispositionListFactory,
    attach_callable_leads,
    campaign_as_spec,
)
from tests.campaigns.page_forms import form_data
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


def test_list_says_not_synced_yet_only_for_a_campaign_never_synced(supervisor_client, accounts):
    CampaignFactory(name="Visible", vendor_account=accounts["jtel"])
    html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    assert "Visible" in html
    assert html.count("not synced yet") == 1
    assert "pending calls not fetched yet" not in html


def test_list_filters_and_htmx_partial(supervisor_client, accounts):
    CampaignFactory(name="Alpha", status="active")
    CampaignFactory(name="Beta")
    response = supervisor_client.get(
        reverse("campaigns:list"),
        {"status": "active"},
        headers={"HX-Request": "true", "HX-Target": "campaign-results"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="campaign-results">')
    assert "Alpha" in html and "Beta" not in html and "<html" not in html


def test_list_pages_by_keyset_both_ways_keeping_filters(supervisor_client):
    campaigns = [CampaignFactory(name=f"Sale {n:02d}") for n in range(30)]
    url = reverse("campaigns:list")
    first = supervisor_client.get(url, {"q": "sale", "sort": "name"})
    assert [c.pk for c in first.context["page"].rows] == [c.pk for c in campaigns[:25]]
    assert (
        first.context["page"].next_url == f"{url}?q=sale&sort=name&after=Sale+24~{campaigns[24].pk}"
    )
    assert first.context["page"].prev_url is None
    second = supervisor_client.get(first.context["page"].next_url)
    assert [c.pk for c in second.context["page"].rows] == [c.pk for c in campaigns[25:]]
    assert second.context["page"].next_url is None
    back = supervisor_client.get(second.context["page"].prev_url)
    assert [c.pk for c in back.context["page"].rows] == [c.pk for c in campaigns[:25]]
    assert "Page " not in second.content.decode()  # nothing counted


def test_team_lead_reads_but_cannot_change(team_lead_client, team_lead, accounts):
    campaign = CampaignFactory(team=team_lead.team, vendor_account=accounts["jtel"])
    assert team_lead_client.get(reverse("campaigns:list")).status_code == 200
    detail = team_lead_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    # One read-only notice, no row of disabled buttons each repeating the same reason.
    assert html.count("Read-only: you can see this campaign but not change") == 1
    assert "You may not change campaigns." not in html
    assert "disabled" not in html.split('aria-label="Actions"')[1].split("</section>")[0]
    for url in (
        reverse("campaigns:create"),
        reverse("campaigns:edit", args=[campaign.pk]),
        reverse("campaigns:action", args=[campaign.pk, "archive"]),
    ):
        assert team_lead_client.post(url, {"name": "x"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_team_lead_does_not_see_other_teams_campaigns(team_lead_client):
    other = CampaignFactory(name="Someone else's")
    assert team_lead_client.get(reverse("campaigns:detail", args=[other.pk])).status_code == 404
    assert "Someone else" not in team_lead_client.get(reverse("campaigns:list")).content.decode()


def test_choosing_the_account_swaps_in_the_vendor_fieldset(supervisor_client, accounts):
    response = supervisor_client.post(
        reverse("campaigns:vendor-fieldset"),
        {"vendor_account": accounts["acefone"].pk, "_trigger": "vendor_account"},
        headers={"HX-Request": "true"},
    )
    html = unescape(response.content.decode())
    assert html.lstrip().startswith('<fieldset id="vendor-fieldset"')
    # The dial method is the campaign's (Acefone's field map): shown, not asked again.
    assert '<select name="vendor-dial_method"' not in html
    assert '<input type="hidden" name="vendor-dial_method"' in html  # for its dependents
    assert 'id="field-vendor-dial_method"' in html
    assert 'From the campaign\'s <a href="#field-dial_method">Dial method</a>' in html
    # A new campaign's default, Progressive, is one Acefone cannot dial: said at once.
    assert "Acefone cannot dial “Progressive”: it documents only Preview and Ratio." in html


def test_controller_change_shows_and_hides_dependent_fields(supervisor_client, accounts):
    def fieldset(dial_method):
        # The campaign's own dial method controls Acefone's (a derived field).
        return supervisor_client.post(
            reverse("campaigns:vendor-fieldset"),
            {"vendor_account": accounts["acefone"].pk, "dial_method": dial_method},
        ).content.decode()

    preview = fieldset("preview")
    assert 'field conditional-off" id="field-vendor-dial_ratio"' in preview
    assert 'field" id="field-vendor-auto_dial_duration"' in preview
    assert 'data-controlled-by="vendor-dial_method"' in preview
    ratio = fieldset("ratio")
    assert 'field conditional-off" id="field-vendor-auto_dial_duration"' in ratio


def test_without_javascript_the_refresh_button_shows_the_vendor_fields(supervisor_client, accounts):
    response = supervisor_client.post(
        reverse("campaigns:create"),
        {"name": "", "vendor_account": accounts["ozonetel"].pk, "_refresh": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="vendor-campaign_name"' in html
    assert "This field is required" not in html
    assert not Campaign.objects.exists()


def test_a_failed_submit_keeps_what_was_typed(supervisor_client, accounts):
    response = supervisor_client.post(
        reverse("campaigns:create"),
        {
            "name": "Kept",
            "vendor_account": accounts["jtel"].pk,
            "vendor-source": "Template",
            "retry_count": "-1",
        },
    )
    assert response.status_code == 422
    data = form_data(response.content.decode(), "campaign-form")
    assert data["name"] == "Kept" and data["vendor-source"] == "Template"
    html = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in html
    assert not Campaign.objects.exists()


def test_create_then_detail(supervisor_client, accounts):
    response = supervisor_client.post(
        reverse("campaigns:create"),
        {
            "name": "jtel one",
            "vendor_account": accounts["jtel"].pk,
            "dial_method": "preview",
            "retry_count": "3",
            "retry_interval_minutes": "60",
            "wrap_up_seconds": "30",
            "ring_timeout_seconds": "30",
            "vendor-source": "Campaign 1000",
            "vendor-destination": "typed but ignored",
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    # The destination is the campaign's name (jtel's field map): never stored.
    assert campaign.vendor_settings == {"source": "Campaign 1000"}
    html = supervisor_client.get(response["Location"]).content.decode()
    assert "Template campaign" in html and "Campaign 1000" in html


def test_detail_buttons_are_disabled_with_the_reason(supervisor_client, monkeypatch, accounts):
    def missing(kind):
        raise ImportError(kind)

    monkeypatch.setattr("vendors.adapters.registry.adapter_class", missing)
    campaign = CampaignFactory(
        vendor_account=accounts["jtel"], vendor_settings=VALID_SETTINGS["jtel"]
    )
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'disabled aria-describedby="reason-start"' in html
    assert "Not available yet: the jtel connection is not installed in this console." in html
    response = supervisor_client.post(reverse("campaigns:action", args=[campaign.pk, "start"]))
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    follow = supervisor_client.get(response["Location"]).content.decode()
    assert "Not available yet" in follow


def test_clone_and_archive_actions(supervisor_client):
    campaign = CampaignFactory(name="Source")
    response = supervisor_client.post(reverse("campaigns:action", args=[campaign.pk, "clone"]))
    clone = Campaign.objects.get(name="Copy of Source")
    assert response["Location"] == reverse("campaigns:edit", args=[clone.pk])
    supervisor_client.post(
        reverse("campaigns:action", args=[campaign.pk, "archive"]), {"confirmed": "1"}
    )
    campaign.refresh_from_db()
    assert campaign.status == "archived"


def test_disposition_list_codes_edited_as_rows(supervisor_client):
    url = reverse("campaigns:disposition-list-new")
    response = supervisor_client.post(
        url,
        {
            "name": "Outcomes",
            "codes-TOTAL": "3",
            "codes-0-code": "SALE",
            "codes-0-label": "Sale",
            "codes-0-is_final": "on",
            "codes-0-is_success": "on",
            "codes-1-code": "CB",
            "codes-1-label": "Call back",
            "codes-1-is_callback": "on",
            "codes-1-retry_after_minutes": "30",
        },
    )
    assert response.status_code == 302
    saved = DispositionList.objects.get()
    assert list(saved.codes.values_list("code", "is_final", "is_callback")) == [
        ("SALE", True, False),
        ("CB", False, True),
    ]
    edit = supervisor_client.get(reverse("campaigns:disposition-list-edit", args=[saved.pk]))
    data = form_data(edit.content.decode(), "disposition-list-form")
    assert data["codes-0-code"] == "SALE" and data["codes-1-retry_after_minutes"] == "30"


def test_a_bad_row_is_reported_in_words_and_nothing_is_lost(supervisor_client):
    response = supervisor_client.post(
        reverse("campaigns:disposition-list-new"),
        {
            "name": "Outcomes",
            "codes-TOTAL": "1",
            "codes-0-code": "SALE",
            "codes-0-label": "Sale",
            "codes-0-is_final": "on",
            "codes-0-retry_after_minutes": "5",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Row 1: Retry after (min): A final code is not retried: leave this empty." in html
    assert 'value="SALE"' in html
    assert not DispositionList.objects.exists()


def test_a_list_in_use_cannot_be_deleted_from_the_page(supervisor_client):
    used = DispositionListFactory(name="Used")
    CampaignFactory(disposition_list=used)
    response = supervisor_client.post(reverse("campaigns:disposition-list-delete", args=[used.pk]))
    assert "used by 1 campaign" in supervisor_client.get(response["Location"]).content.decode()


def test_calling_window_new_form_defaults_to_8_to_21_lead_local(supervisor_client):
    html = supervisor_client.get(reverse("campaigns:calling-window-new")).content.decode()
    assert html.count('value="08:00"') == 7 and html.count('value="21:00"') == 7
    assert '<option value="lead_local" selected>' in html


@pytest.mark.parametrize(
    "name",
    ["campaigns:agent-list", "campaigns:disposition-list-list", "campaigns:pause-code-list-list",
     "campaigns:calling-window-list", "campaigns:agent-new", "campaigns:pause-code-list-new"],
)  # fmt: skip
def test_library_pages_render(supervisor_client, accounts, name):
    assert supervisor_client.get(reverse(name)).status_code == 200


# --- sync in the campaign pages -------------------------------------------------------------


def _remote(campaign, **values):
    from sync.models import CampaignRemote

    return CampaignRemote.objects.create(campaign=campaign, **values)


def test_detail_has_the_sync_panel_in_its_first_paint(supervisor_client, accounts):
    from django.utils import timezone

    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
    remote = _remote(
        campaign,
        state="in_sync",
        last_synced_at=timezone.now(),
        pending_calls=42,
        pending_fetched_at=timezone.now(),
        remote_ref={"remote_id": "d1"},
    )
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'id="sync-panel"' in html and 'data-sync-state="in_sync"' in html
    assert "data-pending-calls>42<" in html
    assert "every 2s" not in html  # idle: nothing to poll for
    # The time is said once, in the panel and in the header (which the panel's polls
    # keep current), as a <time> the page's script keeps relative.
    stamp = f'<time datetime="{timezone.localtime(remote.last_synced_at).isoformat()}" data-ago'
    assert html.count(stamp) == 2
    assert "<dt>Last synced</dt>" not in html
    assert reverse("sync:campaign-panel", args=[campaign.pk]) in html  # the no-JS link
    assert "not synced yet" not in html and "never synced" not in html


def test_detail_panel_polls_while_a_job_is_in_flight(supervisor_client, accounts):
    from django.utils import timezone

    from sync.models import SyncJob

    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
    SyncJob.objects.create(
        account=campaign.vendor_account,
        campaign=campaign,
        operation="campaign_sync",
        not_before=timezone.now(),
    )
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    poll = reverse("sync:campaign-panel", args=[campaign.pk]) + "?poll=1"
    assert f'hx-get="{poll}" hx-trigger="every 2s"' in html


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("acefone", "Start and stop the campaign in Acefone's dashboard."),
        ("jtel", "as set in the jtel portal."),
    ],
)
def test_vendors_without_a_start_call_can_start_and_the_page_says_so(
    supervisor_client, accounts, kind, words
):
    campaign = campaign_as_spec(
        CampaignFactory(vendor_account=accounts[kind], vendor_settings=VALID_SETTINGS[kind])
    )
    attach_callable_leads(campaign)
    url = reverse("campaigns:detail", args=[campaign.pk])
    html = unescape(supervisor_client.get(url).content.decode())
    assert words in html and "change the console's status only" in html
    assert 'aria-describedby="reason-start"' not in html
    supervisor_client.post(reverse("campaigns:action", args=[campaign.pk, "start"]))
    campaign.refresh_from_db()
    assert campaign.status == "active"
    assert campaign.sync_jobs.filter(operation="campaign_sync").exists()


def test_webitel_has_no_start_stop_note(supervisor_client, accounts):
    campaign = CampaignFactory(vendor_account=accounts["webitel"])
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "No start/stop call" not in html
    assert "never synced" in html  # a draft never synced: literally true


def test_list_rows_show_sync_badges_and_pending_without_a_query_per_row(
    supervisor_client, accounts, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def make(count):
        for _ in range(count):
            campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
            _remote(campaign, state="in_sync", pending_calls=7, pending_fetched_at=timezone.now())

    make(2)
    with CaptureQueriesContext(connection) as few:
        supervisor_client.get(reverse("campaigns:list"))
    make(10)
    with CaptureQueriesContext(connection) as many:
        html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count('data-sync-state="in_sync"') == 12
    assert html.count("7 pending") == 12


def test_list_says_when_pending_calls_were_never_fetched(supervisor_client, accounts):
    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
    _remote(campaign, state="syncing")
    html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    assert "Syncing" in html and "pending calls not fetched yet" in html
    assert "not synced yet" not in html


# --- Stop and Archive ask first --------------------------------------------------------


@pytest.mark.parametrize("action", ["stop", "archive"])
def test_stop_and_archive_ask_before_acting(supervisor_client, accounts, action):
    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="stopped")
    if action == "stop":
        Campaign.objects.filter(pk=campaign.pk).update(status="active")
    url = reverse("campaigns:action", args=[campaign.pk, action])
    for method in (supervisor_client.get, supervisor_client.post):
        response = method(url)
        assert response.status_code == 200
        html = unescape(response.content.decode())
        assert 'name="confirmed"' in html
        assert "Webitel is told to stop the campaign" in html
        campaign.refresh_from_db()
        assert campaign.status != ("stopped" if action == "stop" else "archived")
    response = supervisor_client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == ("stopped" if action == "stop" else "archived")


def test_confirmation_says_a_vendor_without_stop_call_keeps_dialling(supervisor_client, accounts):
    campaign = CampaignFactory(vendor_account=accounts["jtel"], status="active")
    html = unescape(
        supervisor_client.get(
            reverse("campaigns:action", args=[campaign.pk, "stop"])
        ).content.decode()
    )
    assert "jtel cannot be stopped from the console" in html
    assert "stop the campaign in jtel itself, or it keeps dialling" in html


def test_confirmation_is_a_fragment_for_htmx(supervisor_client, accounts):
    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
    response = supervisor_client.post(
        reverse("campaigns:action", args=[campaign.pk, "stop"]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="confirm-step"')
    assert "<html" not in html
    detail = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert 'hx-target="#action-confirm"' in detail.content.decode()
    assert 'id="action-confirm"' in detail.content.decode()


def test_start_needs_no_confirmation_and_get_is_refused(supervisor_client, accounts):
    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="stopped")
    url = reverse("campaigns:action", args=[campaign.pk, "start"])
    assert supervisor_client.get(url).status_code == 405


def test_confirmation_of_an_impossible_action_offers_no_button(supervisor_client, accounts):
    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
    html = supervisor_client.get(
        reverse("campaigns:action", args=[campaign.pk, "archive"])
    ).content.decode()
    assert 'name="confirmed"' not in html
    assert "Not possible while the campaign is active." in html


# --- the campaign list: archived hidden, an honest empty state ----------------------------


def test_archived_campaigns_are_hidden_until_filtered_for(supervisor_client):
    CampaignFactory(name="Running one", status="active")
    CampaignFactory(name="Old one", status="archived")
    url = reverse("campaigns:list")
    html = supervisor_client.get(url).content.decode()
    assert "Running one" in html and "Old one" not in html
    html = supervisor_client.get(url, {"status": "archived"}).content.decode()
    assert "Old one" in html and "Running one" not in html
    html = supervisor_client.get(url, {"status": "any"}).content.decode()
    assert "Old one" in html and "Running one" in html


def test_empty_list_without_filters_says_no_campaigns_yet(supervisor_client):
    html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    assert "No campaigns yet." in html and "No campaigns match" not in html
    assert f'href="{reverse("campaigns:create")}">Create a campaign' in html


def test_team_lead_with_nothing_to_see_reads_no_campaigns_yet(team_lead_client):
    html = team_lead_client.get(reverse("campaigns:list")).content.decode()
    assert "No campaigns yet." in html and "Create a campaign" not in html


def test_empty_list_with_a_filter_says_none_match(supervisor_client):
    CampaignFactory(name="Alpha")
    html = supervisor_client.get(reverse("campaigns:list"), {"q": "zzz"}).content.decode()
    assert "No campaigns match these filters." in html


def test_empty_list_of_only_archived_links_to_them(supervisor_client):
    CampaignFactory(name="Old one", status="archived")
    html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    assert "No campaigns yet." in html and 'href="?status=archived">1 archived campaign' in html


def test_a_team_lead_is_not_told_the_name_of_another_teams_list(
    team_lead_client, team_lead, supervisor
):
    from django.test import Client

    from campaigns.models import CampaignLeadList
    from tests.leads.factories import LeadListFactory

    campaign = CampaignFactory(team=team_lead.team)
    own = LeadListFactory(name="North renewals", team=team_lead.team)
    other = LeadListFactory(name="South secret list")
    CampaignLeadList.objects.create(campaign=campaign, lead_list=own, position=0)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=other, position=1)
    url = reverse("campaigns:detail", args=[campaign.pk])
    html = team_lead_client.get(url).content.decode()
    assert "North renewals" in html
    assert "South secret list" not in html
    assert "And 1 list of other teams, not shown to you." in html
    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    supervisor_html = supervisor_client.get(url).content.decode()
    assert "South secret list" in supervisor_html and "not shown to you" not in supervisor_html
