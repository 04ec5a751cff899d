"""The campaign's field checks (``campaigns.checks``) at the three doors: the form, the
HTMX inline validation and the API give the same words; and the error summary of a
failed save."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from campaigns.checks import (
    ACEFONE_DIAL_STATUSES_GUESSED,
    FIELD_BOUNDS,
    caller_id_error,
    campaign_field_errors,
)
from tests.campaigns.test_vendor_forms import campaign_post
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db

CALLER_ID_MESSAGE = (
    "“{value}” is not a phone number the dialer can show as caller ID: enter it with its "
    "country code, for example {example}."
)

# (campaign field, posted value, vendor kind, message)
CAMPAIGN_CASES = [
    (
        "caller_id",
        "hello",
        "acefone",
        CALLER_ID_MESSAGE.format(value="hello", example="+918045678900"),
    ),
    ("caller_id", "12", "ozonetel", CALLER_ID_MESSAGE.format(value="12", example="+918040000000")),
    ("ring_timeout_seconds", "0", "webitel", "Enter 15 to 120 seconds."),
    ("ring_timeout_seconds", "121", "acefone", "Enter 15 to 120 seconds."),
    ("wrap_up_seconds", "99999", "acefone", "Enter 0 to 3,600 seconds."),
    ("retry_count", "21", "jtel", "Enter 0 to 20 retries."),
    ("retry_interval_minutes", "0", "voicenter", "Enter 1 to 10,080 minutes."),
]
CASE_IDS = [f"{field}-{value}-{kind}" for field, value, kind, _ in CAMPAIGN_CASES]

UNKNOWN_STATUS = "Unknown dial status “WHATEVER”: use one or more of " + ", ".join(
    sorted(status.upper() for status in ACEFONE_DIAL_STATUSES_GUESSED)
)
# (Acefone field, value as JSON, as posted in HTML, message)
# Acefone's outbound caller ID is the campaign's caller ID (its field map), checked with
# the campaign's fields above; its dial status is Acefone's own.
ACEFONE_CASES = [
    ("dial_status", ["NEW", "WHATEVER"], "NEW, WHATEVER", UNKNOWN_STATUS + "."),
]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("+918045678900", "acefone"),
        ("918045678900", "acefone"),  # country code without the "+"
        ("+97235551234", "voicenter"),
        ("035551234", "voicenter"),  # Israeli national form [V]
        ("+4930 123456", "webitel"),
        ("", "jtel"),  # optional
    ],
)
def test_caller_ids_each_vendor_takes(value, kind):
    assert caller_id_error(value, kind) == ""


@pytest.mark.parametrize("value", ["hello", "12", "035551234", "+1 555"])
def test_caller_ids_refused_without_a_country_code_where_the_vendor_needs_one(value):
    assert caller_id_error(value, "acefone").startswith(f"“{value}” is not a phone number")


def test_every_bound_names_its_source():
    for bound in FIELD_BOUNDS.values():
        assert bound.low <= bound.high and ("[REF]" in bound.source or "CFR" in bound.source)


def test_the_values_in_bounds_pass():
    values = {name: bound.low for name, bound in FIELD_BOUNDS.items()}
    assert campaign_field_errors(values={**values, "caller_id": ""}, vendor_kind="") == {}
    values = {name: bound.high for name, bound in FIELD_BOUNDS.items()}
    assert campaign_field_errors(values=values, vendor_kind="webitel") == {}


def _post(account, **changes) -> dict:
    return {**campaign_post(account, VALID_SETTINGS[account.kind]), **changes}


@pytest.mark.parametrize(("field", "value", "kind", "message"), CAMPAIGN_CASES, ids=CASE_IDS)
def test_campaign_check_on_full_page_submit(
    supervisor_client, accounts, field, value, kind, message
):
    response = supervisor_client.post(
        reverse("campaigns:create"), _post(accounts[kind], **{field: value})
    )
    assert response.status_code == 422
    assert response.context["editor"].campaign_form.errors[field] == [message]


@pytest.mark.parametrize(("field", "value", "kind", "message"), CAMPAIGN_CASES, ids=CASE_IDS)
def test_campaign_check_in_the_htmx_validation_endpoint(
    supervisor_client, accounts, field, value, kind, message
):
    response = supervisor_client.post(
        reverse("campaigns:validate-field"),
        _post(accounts[kind], **{field: value}, _field=field),
        headers={"HX-Request": "true"},
    )
    html = unescape(response.content.decode())
    assert html.startswith(
        f'<div class="field-feedback" id="id_{field}_error" data-invalid="true">'
    )
    assert message in html


@pytest.mark.parametrize(("field", "value", "kind", "message"), CAMPAIGN_CASES, ids=CASE_IDS)
def test_campaign_check_in_the_api(api_client, supervisor, accounts, field, value, kind, message):
    api_client.force_authenticate(supervisor)
    body = {
        "name": "Check",
        "vendor_account": accounts[kind].pk,
        "vendor_settings": VALID_SETTINGS[kind],
        field: value,
    }
    response = api_client.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()[field] == [message]


def test_the_api_checks_the_stored_caller_id_against_a_new_vendor(api_client, supervisor, accounts):
    from tests.campaigns.factories import CampaignFactory

    campaign = CampaignFactory(caller_id="035551234")  # Israeli national: Voicenter only
    api_client.force_authenticate(supervisor)
    response = api_client.patch(
        f"/api/v1/campaigns/{campaign.pk}/",
        {"vendor_account": accounts["acefone"].pk, "vendor_settings": VALID_SETTINGS["acefone"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["caller_id"][0].startswith("“035551234” is not a phone number")


@pytest.mark.parametrize(("field", "value", "posted", "message"), ACEFONE_CASES)
def test_acefone_fieldset_check_at_the_three_doors(
    supervisor_client, api_client, supervisor, accounts, field, value, posted, message
):
    account = accounts["acefone"]
    data = _post(account, **{f"vendor-{field}": posted})
    page = supervisor_client.post(reverse("campaigns:create"), data)
    assert page.context["editor"].vendor_form.errors[field] == [message]

    inline = supervisor_client.post(
        reverse("campaigns:validate-field"),
        {**data, "_field": f"vendor-{field}"},
        headers={"HX-Request": "true"},
    )
    assert message in unescape(inline.content.decode())

    api_client.force_authenticate(supervisor)
    body = {
        "name": "Check",
        "vendor_account": account.pk,
        "vendor_settings": {**VALID_SETTINGS["acefone"], field: value},
    }
    response = api_client.post("/api/v1/campaigns/", body, format="json")
    assert response.json()["vendor_settings"][field] == [message]


def test_a_failed_save_lists_every_error_at_the_top_with_a_link_to_its_field(
    supervisor_client, accounts
):
    data = _post(
        accounts["acefone"],
        caller_id="hello",
        wrap_up_seconds="99999",
        **{"vendor-dial_status": "WHATEVER"},
    )
    response = supervisor_client.post(reverse("campaigns:create"), data)
    html = unescape(response.content.decode())
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    assert summary.index("Caller ID") < summary.index("Wrap-up") < summary.index("Dial status")
    for name in ("caller_id", "wrap_up_seconds", "vendor-dial_status"):
        assert f'href="#field-{name}" data-focus="{name}"' in summary
    assert html.index('id="error-summary"') < html.index('id="field-name"')


def test_no_summary_before_a_save(supervisor_client):
    html = supervisor_client.get(reverse("campaigns:create")).content.decode()
    assert "error-summary" not in html
