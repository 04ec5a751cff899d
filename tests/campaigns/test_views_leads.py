"""The campaign's leads page: sync state per lead, filters, keyset pages, recording an
outcome with and without HTMX, and the Terminate button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus, DispositionList, LeadDisposition
from sync.models import LeadSync, LeadSyncState
from tests.campaigns.factories import disposition_list_with_codes
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.models import VendorAccount

pytestmark = pytest.mark.django_db


def _campaign(kind: str = "webitel", leads: int = 3, **fields):
    account = VendorAccount.objects.create(name=f"{kind} account", kind=kind)
    lead_list = lead_list_with_leads(leads)
    lead_list.total_count = leads
    lead_list.save()
    campaign = campaign_on(account, lead_list=lead_list, **fields)
    campaign.disposition_list = (
        DispositionList.objects.filter(name="Outcomes").first() or disposition_list_with_codes()
    )
    campaign.save()
    return campaign, list(lead_list.leads.order_by("pk"))


def _url(campaign, **query):
    return reverse("campaigns:leads", args=[campaign.pk]) + (
        "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    )


def _record_url(campaign, lead):
    return reverse("campaigns:lead-disposition", args=[campaign.pk, lead.pk])


def test_the_page_shows_each_leads_state_on_this_campaigns_dialer(supervisor_client):
    campaign, leads = _campaign()
    LeadSync.objects.create(campaign=campaign, lead=leads[0], state="pushed", remote_id="m1")
    LeadSync.objects.create(
        campaign=campaign, lead=leads[1], state="failed", reason="Invalid number"
    )
    html = supervisor_client.get(_url(campaign)).content.decode()
    assert 'data-lead-sync="pushed"' in html
    assert 'data-lead-sync="failed"' in html and "Invalid number" in html
    assert 'data-lead-sync="not_queued"' in html
    assert f"{leads[0].lead_list.name}: 3 leads" in html  # the list's kept count


@pytest.mark.parametrize(
    ("state", "expected"),
    [("pushed", [0]), ("failed", [1]), ("not_queued", [2]), ("done", [1]), ("", [0, 1, 2])],
)
def test_filter_by_state(supervisor_client, supervisor, state, expected):
    campaign, leads = _campaign()
    LeadSync.objects.create(campaign=campaign, lead=leads[0], state="pushed", remote_id="m1")
    LeadSync.objects.create(campaign=campaign, lead=leads[1], state="failed")
    LeadDisposition.objects.create(
        campaign=campaign, lead=leads[1], code="SALE", label="Sale", is_final=True
    )
    html = supervisor_client.get(_url(campaign, state=state)).content.decode()
    shown = [index for index, lead in enumerate(leads) if f'id="lead-{lead.pk}"' in html]
    assert shown == expected


def test_an_unknown_filter_or_cursor_is_explained_and_all_leads_shown(supervisor_client):
    campaign, leads = _campaign()
    for query, message in (
        ({"state": "bogus"}, "Unknown filter “bogus”."),
        ({"after": "x1"}, "“after” must be a lead id (a whole number)."),
    ):
        html = supervisor_client.get(_url(campaign, **query)).content.decode()
        assert message in html
        assert all(f'id="lead-{lead.pk}"' in html for lead in leads)


def test_keyset_pages_and_a_fixed_number_of_queries(
    supervisor_client, django_assert_max_num_queries
):
    campaign, leads = _campaign(leads=120)
    LeadSync.objects.bulk_create(
        LeadSync(campaign=campaign, lead=lead, state="pushed", remote_id=str(lead.pk))
        for lead in leads
    )
    with django_assert_max_num_queries(14):
        first = supervisor_client.get(_url(campaign)).content.decode()
    assert f'id="lead-{leads[49].pk}"' in first and f'id="lead-{leads[50].pk}"' not in first
    next_url = _url(campaign, after=leads[49].pk)
    assert next_url.replace("&", "&amp;") in first or next_url in first
    with django_assert_max_num_queries(14):
        second = supervisor_client.get(next_url).content.decode()
    assert f'id="lead-{leads[50].pk}"' in second and f'id="lead-{leads[49].pk}"' not in second
    last = supervisor_client.get(_url(campaign, after=leads[99].pk)).content.decode()
    assert 'data-pager="next"' not in last and f'id="lead-{leads[119].pk}"' in last


def test_htmx_filter_answers_with_the_results_only(supervisor_client):
    campaign, _ = _campaign()
    response = supervisor_client.get(
        _url(campaign), headers={"HX-Request": "true", "HX-Target": "lead-results"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="lead-results">') and "<html" not in html


def test_recording_an_outcome_with_htmx_answers_with_the_row(supervisor_client):
    campaign, leads = _campaign()
    response = supervisor_client.post(
        _record_url(campaign, leads[0]),
        {"code": "NA", "note": "voicemail", "next": _url(campaign)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="lead-{leads[0].pk}"')
    assert 'data-outcome="NA"' in html and "voicemail" in html
    assert f"NA – No answer recorded for {leads[0].phone}." in html
    assert LeadDisposition.objects.get().note == "voicemail"


def test_a_refused_outcome_with_htmx_keeps_what_was_typed(supervisor_client):
    campaign, leads = _campaign()
    response = supervisor_client.post(
        _record_url(campaign, leads[0]),
        {"code": "CBT", "note": "asked for Tuesday"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # HTMX swaps only 2xx answers
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    assert "“CBT” is a callback: give the time to call back." in html
    assert '<option value="CBT" selected>' in html and 'value="asked for Tuesday"' in html
    assert not LeadDisposition.objects.exists()


def test_without_javascript_a_success_goes_back_to_the_page(supervisor_client):
    campaign, leads = _campaign()
    back = _url(campaign, state="not_queued")
    response = supervisor_client.post(
        _record_url(campaign, leads[1]), {"code": "SALE", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    page = supervisor_client.get(back).content.decode()
    assert f"SALE – Sale recorded for {leads[1].phone}." in page
    assert "Done: no other outcome is taken." in page


def test_without_javascript_a_refusal_shows_the_page_with_the_error(supervisor_client):
    campaign, leads = _campaign()
    response = supervisor_client.post(
        _record_url(campaign, leads[0]),
        {
            "code": "NA",
            "callback_at": "2030-01-01T10:00",
            "note": "keep me",
            "next": _url(campaign),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "“NA” is not a callback code: leave the callback time empty." in html
    assert 'value="2030-01-01T10:00"' in html and 'value="keep me"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": ""}, "Choose an outcome."),
        ({"code": "NA", "callback_at": "tomorrow"}, "Enter a date and time"),
        ({"code": "NOPE"}, "“NOPE” is not a code of the disposition list “Outcomes”."),
    ],
)
def test_bad_form_input_is_explained(supervisor_client, data, message):
    campaign, leads = _campaign()
    response = supervisor_client.post(
        _record_url(campaign, leads[0]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and message in response.content.decode()


def test_a_lead_of_another_campaign_is_not_found(supervisor_client):
    campaign, _ = _campaign()
    _, others = _campaign(kind="acefone")
    response = supervisor_client.post(_record_url(campaign, others[0]), {"code": "NA"})
    assert response.status_code == 404


def test_terminate_posts_to_sync_for_webitel_and_is_disabled_elsewhere(supervisor_client):
    campaign, leads = _campaign()
    LeadSync.objects.create(campaign=campaign, lead=leads[0], state="pushed", remote_id="m1")
    html = supervisor_client.get(_url(campaign)).content.decode()
    terminate = reverse("sync:lead-terminate", args=[campaign.pk, leads[0].pk])
    assert f'action="{terminate}"' in html
    assert html.count("Not on the dialer.") == 2  # the two leads not pushed
    acefone, _ = _campaign(kind="acefone")
    html = supervisor_client.get(_url(acefone)).content.decode()
    assert "Acefone has no per-lead terminate; remove the lead instead." in html
    assert "/terminate/" not in html


def test_terminate_from_the_page_queues_the_sync_job(supervisor_client):
    campaign, leads = _campaign()
    LeadSync.objects.create(
        campaign=campaign, lead=leads[0], state=LeadSyncState.PUSHED, remote_id="m1"
    )
    back = _url(campaign)
    response = supervisor_client.post(
        reverse("sync:lead-terminate", args=[campaign.pk, leads[0].pk]), {"next": back}
    )
    assert response["Location"] == back
    assert campaign.sync_jobs.filter(operation="lead_terminate", lead_id=leads[0].pk).exists()


def test_team_leads_read_the_page_but_record_nothing(team_lead_client, team_lead):
    campaign, leads = _campaign()
    campaign.team = team_lead.team
    campaign.save()
    campaign.lead_lists.update(team=team_lead.team)
    html = team_lead_client.get(_url(campaign)).content.decode()
    assert "You may not record outcomes." in html
    response = team_lead_client.post(_record_url(campaign, leads[0]), {"code": "NA"})
    assert response.status_code == 403
    assert not LeadDisposition.objects.exists()


def test_a_draft_says_why_no_outcome_is_taken(supervisor_client):
    campaign, leads = _campaign(status=CampaignStatus.DRAFT)
    response = supervisor_client.post(
        _record_url(campaign, leads[0]), {"code": "NA"}, headers={"HX-Request": "true"}
    )
    assert "The campaign is draft: it has no calls to record an outcome for." in (
        response.content.decode()
    )


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_next_never_leaves_the_site(supervisor_client, target):
    campaign, leads = _campaign()
    response = supervisor_client.post(
        _record_url(campaign, leads[0]), {"code": "NA", "next": target}
    )
    assert response["Location"] == reverse("campaigns:leads", args=[campaign.pk])


@pytest.mark.parametrize("state", ["", "pushed"])
def test_keyset_pages_go_back_as_well_as_forward(
    supervisor_client, django_assert_max_num_queries, state
):
    campaign, leads = _campaign(leads=120)
    LeadSync.objects.bulk_create(
        LeadSync(campaign=campaign, lead=lead, state="pushed", remote_id=str(lead.pk))
        for lead in leads
    )
    query = {"state": state} if state else {}
    first = supervisor_client.get(_url(campaign, **query)).content.decode()
    assert 'rel="prev"' not in first and 'data-pager="next"' in first
    third = supervisor_client.get(_url(campaign, after=leads[99].pk, **query)).content.decode()
    back_url = _url(campaign, **query, before=leads[100].pk)
    assert back_url.replace("&", "&amp;") in third and 'data-pager="prev"' in third
    with django_assert_max_num_queries(14):
        second = supervisor_client.get(back_url).content.decode()
    shown = [index for index, lead in enumerate(leads) if f'id="lead-{lead.pk}"' in second]
    assert shown == list(range(50, 100))
    assert _url(campaign, **query, before=leads[50].pk).replace("&", "&amp;") in second
    assert _url(campaign, **query, after=leads[99].pk).replace("&", "&amp;") in second
    back_to_first = supervisor_client.get(_url(campaign, **query, before=leads[50].pk))
    html = back_to_first.content.decode()
    assert [i for i, lead in enumerate(leads) if f'id="lead-{lead.pk}"' in html] == list(range(50))
    assert 'rel="prev"' not in html and 'data-pager="next"' in html


def test_dnc_and_removed_leads_offer_no_outcome_and_say_why(supervisor_client):
    campaign, leads = _campaign()
    leads[0].status, leads[1].status = "dnc", "removed"
    for lead in leads[:2]:
        lead.save()
    LeadSync.objects.create(campaign=campaign, lead=leads[1], state="removed", reason="Removed.")
    html = supervisor_client.get(_url(campaign)).content.decode()
    rows = {lead.pk: html.split(f'id="lead-{lead.pk}"')[1].split("</tr>")[0] for lead in leads}
    assert "Not dialled: the number is on the do-not-call list." in rows[leads[0].pk]
    assert "Not dialled: the lead was taken back." in rows[leads[1].pk]
    for lead in leads[:2]:
        assert 'name="code"' not in rows[lead.pk]
    assert 'name="code"' in rows[leads[2].pk]
    # The removed lead's state is said once, not "Removed" and then "Removed." again.
    assert "Removed." not in rows[leads[1].pk]


def test_the_callback_time_has_a_visible_label(supervisor_client):
    campaign, _ = _campaign()
    html = supervisor_client.get(_url(campaign)).content.decode()
    label = html.split('<label class="callback-at">')[1].split("</label>")[0]
    assert label.startswith("Call back at") and 'name="callback_at"' in label
