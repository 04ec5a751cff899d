"""The Ozonetel settings form: campaignControl's fields, cleaned to what payloads.py
sends, and their rules (each rule's words are also checked at the HTMX endpoint and the
API by tests/campaigns/test_vendor_forms.py)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from tests.campaigns.vendor_data import VALID_SETTINGS, html_data
from vendors.adapters.ozonetel.forms import OzonetelCampaignForm

EVERY_FIELD = {
    **VALID_SETTINGS["ozonetel"],
    "check_duplicate": 1,
    "start_on_add": 1,
    "skill": "sales",
    "skills": ["support", "billing"],
    "routing_method": "Agentwise",
    "fallback_did": "918045678901",
    "pacing_ratio": "1:2",
    "max_drop_ratio": "3",
    "map_name": "Default mapping",
}


def test_every_field_is_stored_as_given():
    form = OzonetelCampaignForm(data=EVERY_FIELD)
    assert form.is_valid(), form.errors
    assert form.settings() == EVERY_FIELD


def test_every_field_round_trips_through_the_html_form():
    posted = QueryDict(mutable=True)  # what a browser's POST becomes
    posted.update(html_data("ozonetel", EVERY_FIELD))
    form = OzonetelCampaignForm(data=posted, prefix="vendor")
    assert form.is_valid(), form.errors
    assert form.settings() == EVERY_FIELD


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ({"fallback_did": "+918045678900"}, {"fallback_did": "918045678900"}),
        ({"max_drop_ratio": "2.50"}, {"max_drop_ratio": "2.5"}),
        ({"max_drop_ratio": 4}, {"max_drop_ratio": "4"}),
    ],
)
def test_values_are_cleaned_to_what_ozonetel_takes(given, stored):
    form = OzonetelCampaignForm(data={**VALID_SETTINGS["ozonetel"], **given})
    assert form.is_valid(), form.errors
    assert stored.items() <= form.settings().items()


def test_the_derived_fields_are_shown_but_never_stored():
    # Campaign type, DID and run times are the campaign's (field_map.py): posted values
    # are ignored, the campaign's are shown.
    derived = {
        "campaign_type": "Preview",
        "did": "918040000000",
        "runtime_start": "09:00:00",
        "runtime_end": "17:00:00",
    }
    posted = {**VALID_SETTINGS["ozonetel"], "campaign_type": "IVR", "did": "12345678"}
    form = OzonetelCampaignForm(data=posted, derived=derived)
    assert form.is_valid(), form.errors
    assert form["campaign_type"].value() == "Preview"
    assert not {"campaign_type", "did", "runtime_start", "runtime_end"} & set(form.settings())


def test_left_empty_the_control_fields_are_not_stored():
    form = OzonetelCampaignForm(data=VALID_SETTINGS["ozonetel"])
    assert form.is_valid(), form.errors
    assert set(form.settings()) == {"campaign_name", "expiry_policy"} | {
        "check_duplicate",
        "start_on_add",
    }


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"max_drop_ratio": "101"}, "max_drop_ratio", "less than or equal to 100"),
        ({"map_name": "a/b"}, "map_name", "Use letters, digits, spaces, ., - and _"),
        ({"routing_method": "Telepathic"}, "routing_method", "Select a valid choice."),
    ],
)
def test_bad_values_are_refused_at_their_field(given, field, message):
    form = OzonetelCampaignForm(data={**VALID_SETTINGS["ozonetel"], **given})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
