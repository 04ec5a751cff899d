"""The calling-window editor (issue #13, point 5): the rule in words, today's hours in the
five vendors' main zones, blank rows without a preset weekday, the fixed zone shown only
with the fixed policy; and the window's local-day flags through the page and the API."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from campaigns.models import CallingWindow
from tests.campaigns.page_forms import form_data

pytestmark = pytest.mark.django_db
THANKSGIVING_NOON_NY = dt.datetime(2026, 11, 26, 17, 0, tzinfo=dt.UTC)


def _editor(client, url=None):
    return client.get(url or reverse("campaigns:calling-window-new")).content.decode()


def _preview_rows(html: str) -> dict[str, list[str]]:
    section = html[html.index('id="window-preview"') :]
    rows = re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', section, re.S)
    return {
        city: [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", rest)]
        for city, rest in rows
    }


def _new_window_data(client, **changes) -> dict:
    data = form_data(_editor(client), "calling-window-form")
    data.update(name="US TCPA", **changes)
    return data


@time_machine.travel(THANKSGIVING_NOON_NY, tick=False)
def test_the_editor_says_the_rule_and_todays_hours_in_five_zones(supervisor_client):
    html = _editor(supervisor_client)
    assert "Mon–Sun 08:00–21:00 in each lead&#x27;s local time." in html
    rows = _preview_rows(html)
    assert list(rows) == ["New York", "Berlin", "Jerusalem", "Kolkata", "Kyiv"]
    assert rows["New York"] == ["Thu 26 Nov, 12:00", "08:00–21:00 (UTC−05:00)", "Open now"]
    assert rows["Kolkata"] == [
        "Thu 26 Nov, 22:30",
        "08:00–21:00 (UTC+05:30)",
        "Closed; opens Fri 27 Nov, 08:00",
    ]


@time_machine.travel(THANKSGIVING_NOON_NY, tick=False)
def test_the_preview_follows_the_form_as_it_is_changed_and_saves_nothing(supervisor_client):
    data = _new_window_data(supervisor_client, skip_public_holidays="on", _preview="1")
    response = supervisor_client.post(reverse("campaigns:calling-window-new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="window-preview"')  # the partial only
    assert "not on public holidays in the lead&#x27;s country (and US state)" in html
    rows = _preview_rows(html)
    assert rows["New York"][1:] == ["A public holiday there.", "Closed; opens Fri 27 Nov, 08:00"]
    assert rows["Berlin"][2] == "Open now"
    assert not CallingWindow.objects.exists()


def test_the_preview_waits_for_a_valid_form(supervisor_client):
    data = _new_window_data(supervisor_client, _preview="1", **{"days-0-end": "07:00"})
    html = supervisor_client.post(reverse("campaigns:calling-window-new"), data).content.decode()
    assert "Correct the fields marked above" in html
    assert "window-rule" not in html


def test_saving_keeps_the_local_day_flags(supervisor_client):
    data = _new_window_data(supervisor_client, skip_public_holidays="on", skip_local_weekend="on")
    response = supervisor_client.post(reverse("campaigns:calling-window-new"), data)
    assert response.status_code == 302
    window = CallingWindow.objects.get(name="US TCPA")
    assert window.skip_public_holidays and window.skip_local_weekend
    html = _editor(supervisor_client, reverse("campaigns:calling-window-edit", args=[window.pk]))
    assert "not on the weekend of the lead&#x27;s country" in html


def test_a_blank_row_asks_for_its_weekday(supervisor_client):
    data = _new_window_data(supervisor_client, _more_rows="days")
    html = supervisor_client.post(reverse("campaigns:calling-window-new"), data).content.decode()
    selects = re.findall(r'<select name="days-(\d+)-weekday"[^>]*>(.*?)</select>', html, re.S)
    assert len(selects) > 7
    blank = selects[-1][1]
    assert re.search(r'<option value="" selected>Choose a weekday</option>', blank)
    assert "selected" not in blank.replace('<option value="" selected>', "")


def test_the_fixed_zone_shows_only_with_the_fixed_policy(supervisor_client):
    html = _editor(supervisor_client)
    assert 'id="field-fixed_timezone" data-shown-when="timezone_policy=fixed"' in html


def test_the_api_takes_and_gives_the_flags_and_the_rule(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    client = api_client
    body = {
        "name": "IL weekdays",
        "skip_local_weekend": True,
        "days": [{"weekday": day, "start": "09:00", "end": "20:00"} for day in range(7)],
    }
    response = client.post("/api/v1/calling-windows/", body, format="json")
    assert response.status_code == 201, response.json()
    reply = response.json()
    assert reply["skip_local_weekend"] is True and reply["skip_public_holidays"] is False
    assert reply["rule"] == (
        "Mon–Sun 09:00–20:00 in each lead's local time; not on the weekend of the lead's country."
    )
