"""Vendor-side ids chosen, not typed (#12 point 4): each select filled from the emulator
through the adapter, cached, refreshed, falling back to typing with the reason, keeping a
stored value the dialer no longer lists, and named by Test connection."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.vendor_settings import vendor_form
from tests.vendors.fixtures import emulated_account, emulator_for
from vendors.adapters.emulation import Fault
from vendors.models import VendorCall
from vendors.remote_items import _cache_key, vendor_remote_items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def remote_campaigns():
    """Overrides the conftest's stand-in: here the lists come from the emulators."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def account(monkeypatch):
    def make(kind: str, **kwargs):
        kwargs.setdefault("emulator", emulator_for(kind, guessed_extras=True))
        return emulated_account(kind, monkeypatch=monkeypatch, **kwargs)

    return make


def _calls(account, operation: str) -> int:
    return VendorCall.objects.filter(account=account, operation=operation).count()


def _fieldset(client, account, **data) -> str:
    body = {"vendor_account": account.pk, "_trigger": "vendor_account", **data}
    return client.post(reverse("campaigns:vendor-fieldset"), body).content.decode()


def test_voicenter_campaigns_fill_the_select_from_the_dialer(supervisor_client, account):
    voicenter, _ = account("voicenter")
    html = _fieldset(supervisor_client, voicenter)
    assert '<select name="vendor-Code"' in html
    assert '<option value="vcsbx0001morning">Morning messages (vcsbx0001morning)</option>' in html
    assert '<option value="vcsbx0002leads">Campaign leads (vcsbx0002leads)</option>' in html
    # GetCampaignList's deleted campaign cannot be linked.
    assert "vcsbx0003old" not in html
    assert _calls(voicenter, "campaign_link_choices") == 1


def test_jtel_templates_fill_the_select_by_name(supervisor_client, account):
    jtel, emulator = account("jtel")
    emulator.add_campaign("Outbound DE")
    html = _fieldset(supervisor_client, jtel)
    select = html[html.index('<select name="vendor-source"') :].split(">", 1)[0]
    assert "maxlength" not in select
    assert '<option value="Campaign 1000">Campaign 1000 (id 535)</option>' in html
    assert '<option value="Outbound DE">Outbound DE (id 536)</option>' in html
    assert _calls(jtel, "template_list") == 1


def test_acefone_lead_lists_fill_each_row_of_the_list_map(supervisor_client, account):
    acefone, _ = account("acefone")
    html = _fieldset(supervisor_client, acefone)
    for row in (0, 1):
        assert f'<select name="vendor-lead_list_map-{row}-list_id"' in html
    assert html.count('<option value="102">Sandbox list 102 (102)</option>') == 2
    # Every row shares one read of the list.
    assert _calls(acefone, "lead_lists") == 1


def test_the_list_is_cached_per_account_and_refresh_reads_it_again(supervisor_client, account):
    jtel, emulator = account("jtel")
    _fieldset(supervisor_client, jtel)
    _fieldset(supervisor_client, jtel)
    assert _calls(jtel, "template_list") == 1
    emulator.add_campaign("Added later")
    assert "Added later" not in _fieldset(supervisor_client, jtel)

    response = supervisor_client.post(
        reverse("campaigns:vendor-choices", args=[jtel.pk]),
        {"_field": "vendor-source", "vendor-source": "Campaign 1000"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<span class="remote-choice"')
    assert '<option value="Campaign 1000" selected>' in html
    assert "Added later (id 536)" in html
    assert _calls(jtel, "template_list") == 2


def test_refresh_of_one_row_answers_that_rows_select(supervisor_client, account):
    acefone, emulator = account("acefone")
    emulator._list(104)
    response = supervisor_client.post(
        reverse("campaigns:vendor-choices", args=[acefone.pk]),
        {"_field": "vendor-lead_list_map-1-list_id", "vendor-lead_list_map-1-list_id": "104"},
    )
    html = response.content.decode()
    assert 'name="vendor-lead_list_map-1-list_id"' in html
    assert 'aria-label="Acefone list id 2"' in html
    assert '<option value="104" selected>Sandbox list 104 (104)</option>' in html


def test_refresh_of_a_field_without_a_list_is_refused(supervisor_client, account):
    jtel, _ = account("jtel")
    response = supervisor_client.post(
        reverse("campaigns:vendor-choices", args=[jtel.pk]), {"_field": "vendor-destination"}
    )
    assert response.status_code == 400


def test_refresh_without_javascript_rerenders_the_form_with_a_fresh_list(
    supervisor_client, account
):
    voicenter, emulator = account("voicenter")
    _fieldset(supervisor_client, voicenter)
    emulator.campaigns["vcsbx0001morning"].name = "Renamed"
    response = supervisor_client.post(
        reverse("campaigns:create"),
        {"name": "Drafted", "vendor_account": voicenter.pk, "_refresh_choices": "campaigns"},
    )
    assert response.status_code == 200
    assert "Renamed (vcsbx0001morning)" in response.content.decode()
    assert _calls(voicenter, "campaign_link_choices") == 2


def test_an_unreachable_dialer_falls_back_to_typing_with_the_reason(supervisor_client, account):
    voicenter, emulator = account("voicenter")
    emulator.inject(Fault.SERVER_ERROR, remaining=None)
    html = _fieldset(supervisor_client, voicenter)
    assert '<input type="text" name="vendor-Code"' in html
    assert "The dialer could not be asked for its list (Voicenter had a server error (500)" in html
    assert "Refresh to ask again, or type the campaign&#x27;s Code." in html
    # A typed Code of the right shape is taken.
    form = vendor_form(account=voicenter, data={"Code": "typed01"})
    assert form.is_valid(), form.errors


def test_refused_credentials_never_reach_the_page_or_the_cache(supervisor_client, account):
    secret = "wrong-code-do-not-show"
    jtel, _ = account("jtel", account_credentials={"clients_id": "1", "token": secret})
    html = _fieldset(supervisor_client, jtel)
    assert '<input type="text" name="vendor-source"' in html
    typed = html[html.index('<input type="text" name="vendor-source"') :].split(">", 1)[0]
    assert 'maxlength="200"' in typed
    assert "refused the credentials (401)" in html
    assert secret not in html
    cached = cache.get(_cache_key(jtel, "templates"))
    assert cached is not None
    assert secret not in repr(cached)


def test_a_stored_value_the_dialer_no_longer_lists_is_kept_and_marked(supervisor_client, account):
    voicenter, _ = account("voicenter")
    campaign = Campaign.objects.create(
        name="Linked long ago", vendor_account=voicenter, vendor_settings={"Code": "gone0001"}
    )
    response = supervisor_client.get(reverse("campaigns:edit", args=[campaign.pk]))
    html = response.content.decode()
    assert '<option value="gone0001" selected>gone0001 (no longer listed by the dialer)' in html
    assert "The saved Voicenter campaign “gone0001” is no longer listed by the dialer." in html


def test_test_connection_names_the_chosen_template(supervisor_client, account):
    jtel, emulator = account("jtel")
    emulator.add_campaign("Outbound DE")
    response = supervisor_client.post(
        reverse("campaigns:vendor-test"),
        {"vendor_account": jtel.pk, "vendor-source": "Outbound DE", "vendor-destination": "X"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.startswith('<p id="vendor-test-answer"')
    assert "jtel accepted the token for ClientsID" in html
    assert "The template campaign “Outbound DE” (id 536) was found." in html
    jtel.refresh_from_db()
    assert jtel.health_ok is True


def test_test_connection_names_each_chosen_lead_list_and_one_not_listed(supervisor_client, account):
    acefone, _ = account("acefone")
    response = supervisor_client.post(
        reverse("campaigns:vendor-test"),
        {
            "vendor_account": acefone.pk,
            "vendor-lead_list_map-TOTAL": "2",
            "vendor-lead_list_map-0-list_id": "101",
            "vendor-lead_list_map-0-list_status": "on",
            "vendor-lead_list_map-1-list_id": "999",
        },
    )
    html = response.content.decode()
    assert "The Acefone lead list “Sandbox list 101” (id 101) was found." in html
    assert "The Acefone lead list “999” is not listed by the dialer." in html
    assert "Not all is well." in html


def test_test_connection_without_javascript_answers_in_the_form(supervisor_client, account):
    voicenter, _ = account("voicenter")
    response = supervisor_client.post(
        reverse("campaigns:create"),
        {
            "name": "Drafted",
            "vendor_account": voicenter.pk,
            "vendor-Code": "vcsbx0002leads",
            "_test_connection": "1",
        },
    )
    html = response.content.decode()
    assert "Voicenter answered: 2 campaign(s) can be linked." in html
    assert "The Voicenter campaign “Campaign leads” (id vcsbx0002leads) was found." in html
    assert not Campaign.objects.filter(name="Drafted").exists()


def test_a_list_the_adapter_does_not_have_is_not_a_500(account):
    acefone, _ = account("acefone")
    listed = vendor_remote_items(account=acefone, source="time_groups")
    assert listed.items is None
    assert listed.note == "Acefone documents no call that lists them."
