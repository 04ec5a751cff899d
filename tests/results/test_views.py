"""The results page and its downloads, through the Django client."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from leads.models import Lead
from results.exports import LEAD_EXPORT_HEADER
from tests.accounts.factories import UserFactory


def _page(client, scenario, **params):
    return client.get(reverse("results:campaign", args=[scenario.campaign.pk]), params)


def _export(client, scenario, **params):
    return client.get(reverse("results:campaign-export", args=[scenario.campaign.pk]), params)


def _csv_rows(response, delimiter=","):
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_the_campaign_page_links_to_its_results(client, scenario):
    client.force_login(scenario.team_lead)
    page = client.get(reverse("campaigns:detail", args=[scenario.campaign.pk]))
    assert reverse("results:campaign", args=[scenario.campaign.pk]) in page.content.decode()


def test_the_page_shows_the_figures(client, scenario):
    client.force_login(scenario.team_lead)
    response = _page(client, scenario)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="leads">10<' in text and 'data-figure="dialled">6<' in text
    assert 'data-figure="contact_rate">60.0 %<' in text
    assert "<svg" in text and "Attempts per day" in text
    assert "Other team" not in text  # another team's list is not counted or named


def _page_queries(client, scenario, **params) -> list[str]:
    """The page's own queries: those after the session, user and permission reads (which
    differ by session backend)."""
    with CaptureQueriesContext(connection) as captured:
        assert _page(client, scenario, **params).status_code == 200
    own = ("campaigns_", "leads_", "results_")
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].split(" FROM ")[1][1:].startswith(own)
    ]


def test_the_page_costs_a_fixed_number_of_queries(client, scenario):
    """The campaign, its lists, their codes, then one grouped query each: leads,
    penetration, per list, per agent, histogram, chart."""
    client.force_login(scenario.team_lead)
    assert len(_page_queries(client, scenario)) == 9
    Lead.objects.bulk_create(
        [Lead(lead_list=scenario.lists["north"], phone=f"+1212666{n:04d}") for n in range(40)]
    )
    north = scenario.lists["north"].pk
    assert len(_page_queries(client, scenario, lead_list=north, since="2026-01-01")) == 9


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "must be on or before"),
        ({"lead_list": "abc"}, "Select a valid choice."),
        ({"since": "1066-10-14"}, "between the years 2000 and 2100"),
    ],
)
def test_bad_filters_are_said_on_the_page(client, scenario, params, message):
    client.force_login(scenario.team_lead)
    response = _page(client, scenario, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_another_teams_list_cannot_be_chosen(client, scenario):
    client.force_login(scenario.team_lead)
    response = _page(client, scenario, lead_list=scenario.lists["other"].pk)
    assert response.status_code == 400
    response = _export(client, scenario, lead_list=scenario.lists["other"].pk)
    assert response.status_code == 400 and b"valid choice" in response.content


def test_another_teams_campaign_is_not_found(client, scenario):
    client.force_login(UserFactory(role="Team lead", with_team=True))
    assert _page(client, scenario).status_code == 404
    assert _export(client, scenario).status_code == 404


def test_csv_export_has_every_visible_lead_with_its_outcome(client, scenario):
    client.force_login(scenario.team_lead)
    response = _export(client, scenario, delimiter=";")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert f"campaign-{scenario.campaign.pk}-leads.csv" in response["Content-Disposition"]
    rows = _csv_rows(response, ";")
    assert rows[0] == LEAD_EXPORT_HEADER
    expected = Lead.objects.filter(lead_list__in=[scenario.lists["north"], scenario.lists["south"]])
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(expected.values_list("id", flat=True))
    by_id = {int(row[0]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    sale = by_id[scenario.leads["north"][0].pk]
    assert (sale["outcome_code"], sale["outcome"], sale["attempts"]) == ("SALE", "Sale", "2")
    assert sale["phone"] == scenario.leads["north"][0].phone  # verified E.164: not escaped
    assert by_id[scenario.leads["north"][3].pk]["dialer_status"] == "'=cmd|' /C calc'!A0"
    assert by_id[scenario.leads["north"][3].pk]["dialer_done"] == "unknown"
    assert by_id[scenario.leads["north"][5].pk]["attempts"] == ""  # no result reported


def test_csv_export_of_one_list(client, scenario):
    client.force_login(scenario.team_lead)
    north = scenario.lists["north"]
    response = _export(client, scenario, lead_list=north.pk)
    assert f"list-{north.pk}-leads.csv" in response["Content-Disposition"]
    assert len(_csv_rows(response)) == 1 + north.leads.count()


def test_xlsx_export_reads_back_with_openpyxl(client, scenario):
    client.force_login(scenario.team_lead)
    response = _export(client, scenario, file_format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == LEAD_EXPORT_HEADER
    assert len(rows) == 11
    status = LEAD_EXPORT_HEADER.index("dialer_status")
    escaped = [row for row in rows[1:] if row[0] == scenario.leads["north"][3].pk][0]
    assert escaped[status] == "'=cmd|' /C calc'!A0"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_bad_download_format_is_refused_with_a_message(client, scenario):
    client.force_login(scenario.team_lead)
    response = _export(client, scenario, file_format="pdf")
    assert response.status_code == 400
    assert "is not a download format" in response.content.decode()


def test_the_home_page_has_the_essentials_of_the_teams_campaigns(client, scenario):
    client.force_login(scenario.team_lead)
    text = client.get(reverse("home")).content.decode()
    tiles = dict(re.findall(r"<header>([^<]+)</header>\s*<p class=\"tile-value\">([^<]+)<", text))
    assert tiles["Leads dialled"] == "6" and tiles["Leads not yet dialled"] == "4"
    assert tiles["Leads done"] == "2" and tiles["Contact rate"] == "60.0 %"
    row = re.search(r'<table class="figures" id="campaign-results">.*?</table>', text, re.S)
    cells = re.findall(r'<td class="num">([^<]+)</td>', row.group(0))
    assert cells == ["10", "6", "60.0 %", "2", "1", "60.0 %"]


def test_the_campaign_leads_page_offers_the_download(client, scenario):
    client.force_login(scenario.team_lead)
    text = client.get(reverse("campaigns:leads", args=[scenario.campaign.pk])).content.decode()
    assert reverse("results:campaign-export", args=[scenario.campaign.pk]) in text
