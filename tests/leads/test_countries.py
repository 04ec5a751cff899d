"""Country pickers (issue #16, defect 8): every region phonenumbers reads, named, sorted
by name, on every form that asks for a country."""

from __future__ import annotations

import phonenumbers
import pytest
from django.urls import reverse

from leads.countries import country_choices

pytestmark = pytest.mark.django_db


def test_every_readable_region_is_named_and_sorted_by_name():
    choices = country_choices()
    assert {code for code, _ in choices} == phonenumbers.SUPPORTED_REGIONS
    labels = dict(choices)
    assert labels["DE"] == "Germany (DE)" and labels["IL"] == "Israel (IL)"
    assert labels["US"] == "United States (US)" and labels["XK"] == "Kosovo (XK)"
    assert all(label != f"{code} ({code})" for code, label in choices)  # none left unnamed
    names = [label for _, label in choices]
    assert names.index("Åland Islands (AX)") < names.index("Albania (AL)")
    assert names.index("Germany (DE)") < names.index("Ghana (GH)") < names.index("Greece (GR)")


@pytest.mark.parametrize("url_name", ["leads:create", "dnc:add", "dnc:upload", "dnc:list"])
def test_the_country_pickers_show_names(supervisor_client, url_name):
    html = supervisor_client.get(reverse(url_name)).content.decode()
    assert '<option value="DE">Germany (DE)</option>' in html
    assert html.index("Germany (DE)") < html.index("Israel (IL)")
