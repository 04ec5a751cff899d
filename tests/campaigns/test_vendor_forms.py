"""Every conditional rule of every vendor form, checked at the three doors: the form
itself, the HTMX inline validation endpoint and the API. All three give the same words."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from campaigns.vendor_settings import vendor_form
from tests.campaigns.vendor_data import (
    RULES,
    VALID_SETTINGS,
    campaign_with,
    derived_with,
    html_data,
    settings_with,
)

RULE_IDS = [f"{kind}-{field}-{i}" for i, (kind, _, field, _) in enumerate(RULES)]


def as_posted(data: dict) -> QueryDict:
    posted = QueryDict(mutable=True)
    posted.update(data)
    return posted


def campaign_post(account, changes: dict, **extra) -> dict:
    campaign = campaign_with(account.kind, changes)
    return {
        **{name: str(value) for name, value in campaign.items()},
        "vendor_account": str(account.pk),
        "lead_lists-TOTAL": "0",
        **html_data(account.kind, settings_with(account.kind, changes)),
        **extra,
    }


@pytest.mark.parametrize("kind", list(VALID_SETTINGS))
def test_the_valid_settings_are_valid(accounts, kind):
    form = vendor_form(
        account=accounts[kind], data=VALID_SETTINGS[kind], derived=derived_with(kind)
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("kind", "changes", "field", "message"), RULES, ids=RULE_IDS)
def test_rule_in_the_form(accounts, kind, changes, field, message):
    form = vendor_form(
        account=accounts[kind],
        data=settings_with(kind, changes),
        derived=derived_with(kind, changes),
    )
    assert not form.is_valid()
    assert form.errors[field] == [message]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), RULES, ids=RULE_IDS)
def test_rule_in_the_form_posted_as_html(accounts, kind, changes, field, message):
    data = as_posted(html_data(kind, settings_with(kind, changes)))
    form = vendor_form(
        account=accounts[kind], data=data, html=True, derived=derived_with(kind, changes)
    )
    assert not form.is_valid()
    assert form.errors[field] == [message]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), RULES, ids=RULE_IDS)
def test_rule_in_the_htmx_validation_endpoint(
    supervisor_client, accounts, kind, changes, field, message
):
    account = accounts[kind]
    data = campaign_post(account, changes, _field=f"vendor-{field}")
    response = supervisor_client.post(
        reverse("campaigns:validate-field"), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Only the field's feedback comes back: the input the user is in is never replaced.
    assert html.lstrip().startswith('<div class="field-feedback"')
    assert f'id="id_vendor-{field}_error"' in html
    assert 'data-invalid="true"' in html
    assert "<input" not in html and "<select" not in html
    assert 'class="field-error"' in html
    assert message.replace("“", "&ldquo;") in html or message in html.replace("&#x27;", "'")


@pytest.mark.parametrize(("kind", "changes", "field", "message"), RULES, ids=RULE_IDS)
def test_rule_in_the_api(api_client, supervisor, accounts, kind, changes, field, message):
    api_client.force_authenticate(supervisor)
    response = api_client.post(
        "/api/v1/campaigns/",
        {
            **campaign_with(kind, changes),
            "vendor_account": accounts[kind].pk,
            "vendor_settings": settings_with(kind, changes),
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["vendor_settings"][field] == [message]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), RULES, ids=RULE_IDS)
def test_rule_on_full_page_submit(supervisor_client, accounts, kind, changes, field, message):
    data = campaign_post(accounts[kind], changes)
    response = supervisor_client.post(reverse("campaigns:create"), data)
    assert response.status_code == 422
    form = response.context["editor"].vendor_form
    assert form.errors[field] == [message]


def test_a_field_whose_condition_is_not_met_is_dropped(accounts):
    settings = settings_with("acefone", {"auto_dial_duration": "15", "inbound_queue": "3"})
    form = vendor_form(account=accounts["acefone"], data=settings, derived=derived_with("acefone"))
    assert form.is_valid(), form.errors
    stored = form.settings()
    assert stored["dial_ratio"] == "2"
    assert "auto_dial_duration" not in stored
    assert "inbound_queue" not in stored


def test_an_invalid_value_in_a_field_that_does_not_apply_is_not_an_error(accounts):
    settings = settings_with("acefone", {"auto_dial_duration": "soon"})
    assert vendor_form(account=accounts["acefone"], data=settings).is_valid()


def test_three_active_acefone_lead_lists_are_allowed(accounts):
    rows = [{"list_id": n, "list_status": 1} for n in (1, 2, 3)] + [
        {"list_id": 4, "list_status": 0}
    ]
    form = vendor_form(
        account=accounts["acefone"], data=settings_with("acefone", {"lead_list_map": rows})
    )
    assert form.is_valid(), form.errors
    assert form.settings()["lead_list_map"] == rows


def test_webitel_amd_fields_apply_only_when_amd_is_enabled(accounts):
    off = vendor_form(
        account=accounts["webitel"], data=settings_with("webitel", {"amd_greeting": 1500})
    )
    assert off.is_valid(), off.errors
    assert off.settings()["amd"] == {"enabled": False}
    on = vendor_form(
        account=accounts["webitel"],
        data=settings_with("webitel", {"amd_enabled": True, "amd_greeting": 1500}),
    )
    assert on.is_valid(), on.errors
    assert on.settings()["amd"]["greeting"] == 1500


def test_webitel_communication_types_are_typed_and_their_times_are_not(accounts):
    """Issue #13: a type's time range is the calling window's hours (the field map), so
    the row has no From/To and a posted time is not stored."""
    data = html_data("webitel", VALID_SETTINGS["webitel"])
    data.update(
        {
            "vendor-communications-TOTAL": "1",
            "vendor-communications-0-type_name": "Mobile",
            "vendor-communications-0-type_code": "1",
            "vendor-communications-0-startTime": "09:00",
            "vendor-communications-0-attempts": "2",
        }
    )
    form = vendor_form(account=accounts["webitel"], data=as_posted(data), html=True)
    assert form.is_valid(), form.errors
    assert form.settings()["communications"] == {
        "types": [{"name": "Mobile", "code": "1", "ranges": [{"attempts": 2}]}]
    }
    shown = vendor_form(account=accounts["webitel"], stored=form.settings(), html=True)
    html = str(shown["communications"])
    assert 'value="Mobile"' in html and "startTime" not in html


def test_webitel_rows_group_into_the_documented_nesting(accounts):
    resources = [
        {
            "dialledNumber": r"^\+\d{8,11}$",
            "destinations": [
                {"gwName": "a", "dialString": "0$1", "enabled": True, "order": 0},
                {"gwName": "b", "dialString": "$1", "enabled": False, "order": 1},
            ],
        }
    ]
    form = vendor_form(
        account=accounts["webitel"],
        data=settings_with("webitel", {"resources": resources, "variables": {"myVar": "10"}}),
    )
    assert form.is_valid(), form.errors
    assert form.settings()["resources"] == resources
    assert form.settings()["variables"] == {"myVar": "10"}


def test_voicenter_offers_the_accounts_campaigns_when_reachable(accounts, remote_campaigns):
    from vendors.adapters.types import RemoteCampaign

    remote_campaigns.campaigns = [RemoteCampaign(remote_id="skdfvnjsivbniviv", name="Campaign 1")]
    form = vendor_form(account=accounts["voicenter"], data={"Code": "skdfvnjsivbniviv"})
    assert form.is_valid(), form.errors
    html = str(form["Code"])
    option = '<option value="skdfvnjsivbniviv" selected>Campaign 1 (skdfvnjsivbniviv)</option>'
    assert option in html
    # The select only helps to choose: the Code's own rule is the same, chosen or typed.
    assert not vendor_form(account=accounts["voicenter"], data={"Code": "no spaces"}).is_valid()


def test_voicenter_falls_back_to_a_typed_code_with_the_reason(accounts):
    form = vendor_form(account=accounts["voicenter"], data={"Code": "typed01"})
    assert form.is_valid(), form.errors
    html = str(form["Code"])
    assert '<input type="text" name="Code" value="typed01"' in html
    assert (
        "The dialer could not be asked for its list (Connection refused). Refresh to ask "
        "again, or type the campaign&#x27;s Code."
    ) in html


def test_voicenter_note_is_shown_in_the_page(supervisor_client, accounts):
    response = supervisor_client.post(
        reverse("campaigns:vendor-fieldset"),
        {"vendor_account": accounts["voicenter"].pk, "_trigger": "vendor_account"},
    )
    assert "The dialer could not be asked for its list" in response.content.decode()


def test_jtel_dates_are_stored_in_jtels_format(accounts):
    form = vendor_form(
        account=accounts["jtel"],
        data=settings_with("jtel", {"dtFrom": "2026-05-01T08:00", "dtTo": "2026-05-31 20:00:00"}),
    )
    assert form.is_valid(), form.errors
    assert form.settings()["dtFrom"] == "2026-05-01 08:00:00"
    assert form.settings()["dtTo"] == "2026-05-31 20:00:00"


def test_bad_json_shapes_get_plain_words(accounts):
    form = vendor_form(
        account=accounts["acefone"],
        data=settings_with("acefone", {"dial_status": "x", "lead_list_map": "all of them"}),
    )
    assert not form.is_valid()
    assert form.errors["lead_list_map"] == ["This value does not have the documented shape."]
