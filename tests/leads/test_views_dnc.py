"""The do-not-call pages: the list (search, filters, keyset pages, fixed queries), adding
numbers with the report, editing the expiry and removing with HTMX and without."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from leads.models import DncEntry, LeadStatus
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("dnc:list")
ADD_URL = reverse("dnc:add")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _shown(html: str, entries) -> list[int]:
    return [entry.pk for entry in entries if f'id="dnc-{entry.pk}"' in html]


def test_the_page_shows_scope_targets_expiry_and_who_added_it(supervisor_client, supervisor):
    campaign = Campaign.objects.create(name="Winter sale")
    lead_list = LeadListFactory(name="Berlin prospects")
    past = timezone.now() - datetime.timedelta(days=1)
    DncEntryFactory(
        phone="+12125550100", reason="Asked", source="phone call", created_by=supervisor
    )
    DncEntryFactory(phone="+12125550101", scope="campaign", campaign_id=campaign.pk)
    DncEntryFactory(phone="+12125550102", scope="list", lead_list=lead_list, expires_at=past)
    html = supervisor_client.get(LIST_URL).content.decode()
    assert "Winter sale" in html and "Berlin prospects" in html
    assert "Asked" in html and "phone call" in html and f"by {supervisor.username}" in html
    assert "Expired" in html and "Never" in html
    assert "does not bring back leads already marked do-not-call" in html
    assert 'href="/dnc/"' in html and "Do-not-call list" in html  # in the navigation


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"phone": "(212) 555-0100"}, [0]),
        ({"phone": "+1 212 555 0100"}, [0]),
        ({"phone": "212555"}, [0, 1]),
        ({"phone": "030 12", "country": "DE"}, [2]),
        ({"phone": "+4930"}, [2]),
        ({"phone": "0049 30"}, [2]),
        ({"scope": "list"}, [1]),
        ({"state": "expired"}, [1]),
        ({"state": "active"}, [0, 2]),
    ],
)
def test_search_by_any_phone_format_or_first_digits_and_filters(supervisor_client, query, expected):
    past = timezone.now() - datetime.timedelta(days=1)
    entries = [
        DncEntryFactory(phone="+12125550100"),
        DncEntryFactory(
            phone="+12125550101", scope="list", lead_list=LeadListFactory(), expires_at=past
        ),
        DncEntryFactory(phone="+49301234567"),
    ]
    html = supervisor_client.get(LIST_URL, query).content.decode()
    assert sorted(_shown(html, entries)) == sorted(entries[i].pk for i in expected)


def test_a_search_that_is_no_number_is_explained(supervisor_client):
    html = supervisor_client.get(LIST_URL, {"phone": "abc"}).content.decode()
    assert "“abc” is not a phone number: type a number or its first digits." in html


def test_keyset_pages_newest_first_in_a_fixed_number_of_queries(
    supervisor_client, supervisor, django_assert_max_num_queries
):
    campaigns = [Campaign.objects.create(name=f"Campaign {n}") for n in range(5)]
    lists = [LeadListFactory() for _ in range(5)]
    DncEntry.objects.bulk_create(
        DncEntry(
            phone=f"+1212555{n:04d}",
            scope=("everywhere", "campaign", "list")[n % 3],
            campaign_id=campaigns[n % 5].pk if n % 3 == 1 else None,
            lead_list=lists[n % 5] if n % 3 == 2 else None,
            created_by=supervisor,
        )
        for n in range(120)
    )
    entries = list(DncEntry.objects.order_by("-id"))
    with django_assert_max_num_queries(8):
        first = supervisor_client.get(LIST_URL).content.decode()
    assert _shown(first, entries) == [e.pk for e in entries[:50]]
    next_url = f"{LIST_URL}?after={entries[49].pk}"
    assert next_url in first
    with django_assert_max_num_queries(8):
        second = supervisor_client.get(
            next_url, headers={"HX-Request": "true", "HX-Target": "dnc-results"}
        )
    html = second.content.decode()
    assert html.lstrip().startswith('<div id="dnc-results">') and "<html" not in html
    assert _shown(html, entries) == [e.pk for e in entries[50:100]]
    assert f"{LIST_URL}?before={entries[50].pk}" in html  # back to the first page
    last = supervisor_client.get(LIST_URL, {"after": entries[99].pk}).content.decode()
    assert 'data-pager="next"' not in last and 'data-pager="prev"' in last
    assert _shown(last, entries) == [e.pk for e in entries[100:]]


def test_adding_numbers_reports_counts_and_invalid_lines(supervisor_client):
    DncEntryFactory(phone="+12125550101")
    LeadFactory(phone="+12125550100")
    response = supervisor_client.post(
        ADD_URL,
        {
            "numbers": "212 555 0100\nnot a number\n212-555-0101, 12",
            "country": "US",
            "scope": "everywhere",
            "reason": "Complaint",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<td data-count="added">1</td>' in html
    assert '<td data-count="already_listed">1</td>' in html
    assert '<td data-count="invalid">2</td>' in html
    assert '<td data-count="leads_marked_dnc">1</td>' in html
    assert "“not a number” is not a valid phone number when read as US." in html
    assert (
        "<td>2</td><td><code>not a number</code>" in html
        and "<td>3</td><td><code>12</code>" in html
    )
    # The invalid lines are left in the box, to correct and add again.
    assert ">\nnot a number\n12</textarea>" in html
    assert DncEntry.objects.get(phone="+12125550100").reason == "Complaint"


def test_adding_with_htmx_answers_with_the_panel(supervisor_client):
    response = supervisor_client.post(
        ADD_URL,
        {"numbers": "2125550100", "country": "US", "scope": "everywhere"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="add-panel">') and "<html" not in html
    assert '<td data-count="added">1</td>' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"numbers": ""}, "This field is required."),
        ({"numbers": "2125550100", "scope": "list"}, "Choose the lead list."),
        ({"numbers": "2125550100", "scope": "campaign"}, "Choose the campaign."),
        (
            {"numbers": "2125550100", "scope": "campaign", "campaign": "987654"},
            "Select a valid choice.",
        ),
        (
            {"numbers": "2125550100", "scope": "list", "lead_list": "987654"},
            "Select a valid choice.",
        ),
        (
            {"numbers": "\n".join(["2125550100"] * 10_001)},
            "At most 10,000 numbers can be added at once",
        ),
    ],
)
def test_bad_input_is_shown_at_the_form(supervisor_client, data, message):
    response = supervisor_client.post(ADD_URL, {"country": "US", "scope": "everywhere", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DncEntry.objects.exists()


def test_team_leads_add_to_their_own_lists_only(team_lead_client, team_lead):
    own = LeadListFactory(team=team_lead.team, name="Our list")
    LeadListFactory(name="Their list")
    page = team_lead_client.get(ADD_URL).content.decode()
    assert "Our list" in page and "Their list" not in page
    assert 'value="everywhere"' not in page
    refused = team_lead_client.post(
        ADD_URL, {"numbers": "2125550100", "country": "US", "scope": "everywhere"}
    )
    assert "Select a valid choice." in refused.content.decode()
    team_lead_client.post(
        ADD_URL, {"numbers": "2125550100", "country": "US", "scope": "list", "lead_list": own.pk}
    )
    assert DncEntry.objects.get().lead_list == own


def test_team_leads_see_global_and_their_teams_entries_and_manage_their_own(
    team_lead_client, team_lead
):
    mine = DncEntryFactory(
        phone="+12125550100", scope="list", lead_list=LeadListFactory(team=team_lead.team)
    )
    global_ = DncEntryFactory(phone="+12125550101")
    theirs = DncEntryFactory(phone="+12125550102", scope="list", lead_list=LeadListFactory())
    html = team_lead_client.get(LIST_URL).content.decode()
    assert _shown(html, [mine, global_, theirs]) == [mine.pk, global_.pk]
    assert reverse("dnc:delete", args=[mine.pk]) in html
    assert reverse("dnc:delete", args=[global_.pk]) not in html
    assert reverse("dnc:edit", args=[mine.pk]) not in html  # team leads do not edit entries
    assert team_lead_client.post(reverse("dnc:delete", args=[theirs.pk])).status_code == 404
    team_lead_client.post(reverse("dnc:delete", args=[global_.pk]))
    assert DncEntry.objects.filter(pk=global_.pk).exists()


def test_removing_with_htmx_swaps_the_row(supervisor_client):
    entry = DncEntryFactory(phone="+12125550100")
    lead = LeadFactory(phone="+12125550100", status=LeadStatus.DNC)
    response = supervisor_client.post(
        reverse("dnc:delete", args=[entry.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="dnc-{entry.pk}"') and 'class="dnc-removed"' in html
    assert "Removed from the do-not-call list everywhere" in html
    assert not DncEntry.objects.exists()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DNC


def test_removing_without_javascript_confirms_then_goes_back(supervisor_client):
    entry = DncEntryFactory(phone="+12125550100")
    url = reverse("dnc:delete", args=[entry.pk])
    back = f"{LIST_URL}?phone=212"
    page = supervisor_client.get(url, {"next": back}).content.decode()
    assert "Remove +12125550100 from the do-not-call list?" in page
    assert DncEntry.objects.exists()
    response = supervisor_client.post(url, {"next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert (
        "+12125550100 is no longer on the do-not-call list everywhere." in response.content.decode()
    )
    assert not DncEntry.objects.exists()
    # An outside address is not followed.
    other = DncEntryFactory(phone="+12125550101")
    response = supervisor_client.post(
        reverse("dnc:delete", args=[other.pk]), {"next": "//evil.example/"}
    )
    assert response["Location"] == LIST_URL


def test_editing_the_expiry(supervisor_client):
    entry = DncEntryFactory(phone="+12125550100")
    url = reverse("dnc:edit", args=[entry.pk])
    assert "+12125550100" in supervisor_client.get(url).content.decode()
    response = supervisor_client.post(
        url, {"reason": "Until the end of the year", "expires_at": "2099-12-31T23:00"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.reason == "Until the end of the year"
    assert entry.expires_at.year == 2099
    supervisor_client.post(url, {"reason": "", "expires_at": ""})
    entry.refresh_from_db()
    assert entry.expires_at is None


def test_the_search_reads_numbers_as_us_until_another_country_is_chosen(supervisor_client):
    html = supervisor_client.get(LIST_URL).content.decode()
    assert '<option value="US" selected>' in html
    html = supervisor_client.get(LIST_URL, {"phone": "030", "country": "DE"}).content.decode()
    assert '<option value="DE" selected>' in html


def test_a_lead_list_page_links_to_adding_numbers_for_that_list(supervisor_client):
    lead_list = LeadListFactory(name="Berlin callbacks")
    page = supervisor_client.get(reverse("leads:detail", args=[lead_list.pk])).content.decode()
    link = f"{reverse('dnc:add')}?list={lead_list.pk}"
    assert f'href="{link}"' in page
    form = supervisor_client.get(link).content.decode()
    assert '<option value="list" selected>' in form
    assert f'<option value="{lead_list.pk}" selected>Berlin callbacks' in form
