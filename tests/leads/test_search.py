"""Find any lead (issue 16, feature 1): what a search text is read as, each phone format,
team scope by every door (selector, page, navigation, API), keyset pages both ways, and a
fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialer_console.errors import ApplicationError
from leads.models import Lead
from leads.selectors_search import lead_search_page, lead_search_read
from tests.accounts.factories import TeamFactory, UserFactory
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db
SEARCH_URL = reverse("leads:search")
API_URL = reverse("api-leads-search")


@dataclass
class World:
    north_lead: object  # a team lead of North
    ada: Lead  # North, US list
    max: Lead  # North, German list
    south_ada: Lead  # South: the same number and name as ada
    north_other: Lead


@pytest.fixture
def world() -> World:
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    us_list = LeadListFactory(team=north, name="North US", default_country="US")
    de_list = LeadListFactory(team=north, name="North DE", default_country="DE")
    south_list = LeadListFactory(team=south, name="South US", default_country="US")
    ada = LeadFactory(
        lead_list=us_list,
        phone="+12125550100",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
    )
    max_ = LeadFactory(
        lead_list=de_list, phone="+49301234567", first_name="Max", last_name="Mustermann"
    )
    south_ada = LeadFactory(
        lead_list=south_list,
        phone="+12125550100",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
    )
    other = LeadFactory(lead_list=us_list, phone="+13105550111", first_name="Grace")
    lead = UserFactory(role="Team lead", team=north)
    return World(lead, ada, max_, south_ada, other)


def _ids(leads) -> list[int]:
    return [lead.pk for lead in leads]


@pytest.mark.parametrize(
    "text",
    [
        "+12125550100",
        "+1 (212) 555-0100",
        "(212) 555-0100",
        "212-555-0100",
        "212.555.0100",
        "2125550100",
        "1 212 555 0100",
        "001 212 555 0100",
        "  212 555 0100  ",
        "212 555",  # the first digits
        "+1212555",
    ],
)
def test_each_format_of_a_us_number_finds_the_lead(world, text):
    page = lead_search_page(text=text, user=world.north_lead)
    assert _ids(page.leads) == [world.ada.pk]
    assert page.search.kind == "phone"


@pytest.mark.parametrize(
    "text", ["030 1234567", "030/123 45 67", "+49 30 1234567", "0049 30 1234567"]
)
def test_a_national_number_is_read_in_the_country_of_its_list(world, text):
    page = lead_search_page(text=text, user=world.north_lead)
    assert _ids(page.leads) == [world.max.pk]
    assert page.search.countries == ("DE", "US")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ada", "name"),
        ("ada lovelace", "name"),
        ("LOVELACE ada", "name"),
        ("love", "name"),
        ("ada@example.com", "email"),
        ("ADA@EXAMPLE", "email"),
    ],
)
def test_a_name_or_an_email_finds_the_lead(world, text, kind):
    page = lead_search_page(text=text, user=world.north_lead)
    assert _ids(page.leads) == [world.ada.pk]
    assert page.search.kind == kind


def test_a_name_matches_the_start_of_a_word_only(world):
    assert lead_search_page(text="ovelace", user=world.north_lead).leads == []
    assert lead_search_page(text="Ada Mustermann", user=world.north_lead).leads == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a phone number, a name or an e-mail"),
        ("   ", "Type a phone number, a name or an e-mail"),
        ("a", "at least 2 letters"),
        ("12", "at least 3 digits"),
        ("+ ( )", "at least 3 digits"),
        ("x" * 101, "longer than 100"),
    ],
)
def test_an_empty_or_bad_search_says_why(world, text, message):
    with pytest.raises(ApplicationError) as refused:
        lead_search_read(text=text, user=world.north_lead)
    assert message in refused.value.message


def test_a_team_lead_never_finds_another_teams_lead(world):
    for text in ("212-555-0100", "Ada", "ada@example.com", "+1212"):
        found = _ids(lead_search_page(text=text, user=world.north_lead).leads)
        assert world.south_ada.pk not in found, text
        assert world.ada.pk in found, text


def test_a_supervisor_finds_every_teams_lead(world):
    supervisor = UserFactory(role="Supervisor")
    found = _ids(lead_search_page(text="212-555-0100", user=supervisor).leads)
    assert found == [world.ada.pk, world.south_ada.pk]


def test_a_user_without_a_team_finds_nothing(world):
    loner = UserFactory(role="Team lead")
    assert lead_search_page(text="Ada", user=loner).leads == []


def test_keyset_pages_go_forward_and_back_without_gaps(world):
    leads = [
        LeadFactory(lead_list=world.ada.lead_list, phone=f"+1415555{n:04d}", first_name="Page")
        for n in range(5)
    ]
    user = world.north_lead
    first = lead_search_page(text="Page", user=user, size=2)
    assert _ids(first.leads) == _ids(leads[:2]) and first.prev_before is None
    second = lead_search_page(text="Page", user=user, size=2, after=first.next_after)
    assert _ids(second.leads) == _ids(leads[2:4]) and second.prev_before == leads[2].pk
    last = lead_search_page(text="Page", user=user, size=2, after=second.next_after)
    assert _ids(last.leads) == _ids(leads[4:]) and last.next_after is None
    back = lead_search_page(text="Page", user=user, size=2, before=last.prev_before)
    assert _ids(back.leads) == _ids(leads[2:4])
    assert back.next_after == leads[3].pk and back.prev_before == leads[2].pk
    start = lead_search_page(text="Page", user=user, size=2, before=back.prev_before)
    assert _ids(start.leads) == _ids(leads[:2]) and start.prev_before is None


def test_the_keyset_pages_use_no_offset_and_no_count(world, client):
    client.force_login(world.north_lead)
    with CaptureQueriesContext(connection) as queries:
        client.get(SEARCH_URL, {"q": "212", "after": world.ada.pk})
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql


def _search_queries(client, text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH_URL, {"q": text})
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("text", ["Many", "+1646"])
def test_a_page_costs_the_same_queries_however_many_rows(
    world, client, django_assert_num_queries, text
):
    client.force_login(world.north_lead)
    lead_list = world.ada.lead_list
    LeadFactory(lead_list=lead_list, phone="+16465550000", first_name="Many")
    few = _search_queries(client, text)
    for n in range(1, 60):
        LeadFactory(lead_list=lead_list, phone=f"+1646555{n:04d}", first_name="Many")
    with django_assert_num_queries(few):
        html = client.get(SEARCH_URL, {"q": text}).content.decode()
    assert html.count("data-lead=") == 50


# --- the page and the navigation -----------------------------------------------------


def test_the_navigation_has_the_search_box_on_every_page(world, client):
    client.force_login(world.north_lead)
    for url in (reverse("home"), reverse("leads:list"), reverse("dnc:list")):
        html = client.get(url).content.decode()
        assert f'action="{SEARCH_URL}" role="search"' in html, url


def test_the_page_lists_list_name_phone_status_and_links_the_lead(world, client):
    client.force_login(world.north_lead)
    html = client.get(SEARCH_URL, {"q": "(212) 555-0100"}).content.decode()
    assert reverse("leads:lead", args=[world.ada.pk]) in html
    assert reverse("leads:lead", args=[world.south_ada.pk]) not in html
    assert "North US" in html and "South US" not in html
    assert "+12125550100" in html and "Ada Lovelace" in html and "New" in html
    assert "Searched as a phone number" in html


def test_the_page_without_a_search_shows_the_form_only(world, client):
    client.force_login(world.north_lead)
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    assert b"data-search-error" not in response.content and b"data-lead=" not in response.content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type a phone number, a name or an e-mail"),
        ({"q": "Ada", "after": "x"}, "“after” must be a lead id"),
        ({"q": "Ada", "before": "-1"}, "“before” must be a lead id"),
        ({"q": "Ada", "after": "99999999999999999999999"}, "“after” must be a lead id"),
    ],
)
def test_the_page_says_what_is_wrong_with_a_bad_search(world, client, params, message):
    client.force_login(world.north_lead)
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_no_match_says_so(world, client):
    client.force_login(world.north_lead)
    html = client.get(SEARCH_URL, {"q": "Zebedee"}).content.decode()
    assert "No lead you may see matches “Zebedee”." in html


def test_htmx_gets_the_results_fragment(world, client):
    client.force_login(world.north_lead)
    response = client.get(
        SEARCH_URL, {"q": "Ada"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="search-results">')
    assert "<header" not in html and f'data-lead="{world.ada.pk}"' in html


def test_the_page_links_to_the_next_and_previous_pages(world, client):
    client.force_login(world.north_lead)
    for n in range(55):
        LeadFactory(lead_list=world.ada.lead_list, phone=f"+1718555{n:04d}", first_name="Next")
    html = client.get(SEARCH_URL, {"q": "Next"}).content.decode()
    assert "Next 50 →" in html and "Previous" not in html
    second = client.get(
        SEARCH_URL,
        {"q": "Next", "after": Lead.objects.filter(first_name="Next").order_by("id")[49].pk},
    ).content.decode()
    assert second.count("data-lead=") == 5 and "← Previous 50" in second and "Last page." in second


# --- the API ---------------------------------------------------------------------------


def test_the_api_finds_by_each_door_within_the_team(world, api_client):
    api_client.force_authenticate(world.north_lead)
    for text in ("212.555.0100", "ada lovelace", "ada@example.com"):
        body = api_client.get(API_URL, {"q": text}).json()
        assert [row["id"] for row in body["results"]] == [world.ada.pk], text
        assert body["results"][0]["lead_list"] == {"id": world.ada.lead_list_id, "name": "North US"}
        assert body["results"][0]["status_label"] == "New"


def test_the_api_pages_by_cursor(world, api_client):
    api_client.force_authenticate(world.north_lead)
    for n in range(3):
        LeadFactory(lead_list=world.ada.lead_list, phone=f"+1415555{n:04d}", first_name="Cursor")
    first = api_client.get(API_URL, {"q": "Cursor", "page_size": 2}).json()
    assert len(first["results"]) == 2 and "cursor=" in first["next"]
    second = api_client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Type a phone number, a name or an e-mail"),
        ({"q": "1"}, "at least 3 digits"),
        ({"q": "Ada", "name": "Ada"}, "Unknown query parameter: name"),
    ],
)
def test_the_api_refuses_a_bad_search_with_a_message(world, api_client, params, message):
    api_client.force_authenticate(world.north_lead)
    response = api_client.get(API_URL, params)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_the_api_needs_a_login(world, api_client):
    assert api_client.get(API_URL, {"q": "Ada"}).status_code in (401, 403)
