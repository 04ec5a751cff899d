"""jtel's result codes read from the dialer and mapped to the campaign's disposition
codes on the campaign's pages (#12 point 3), stored per campaign for results coming back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import DispositionCode
from results.models import ResultCodeMapping
from results.result_code_map import result_code_lookup
from sync.models import CampaignRemote
from tests.campaigns.factories import CampaignFactory, disposition_list_with_codes
from tests.vendors.fixtures import emulated_account, emulator_for
from vendors.adapters.emulation import Fault

pytestmark = pytest.mark.django_db


@pytest.fixture
def jtel(monkeypatch):
    return emulated_account(
        "jtel", monkeypatch=monkeypatch, emulator=emulator_for("jtel", guessed_extras=True)
    )


@pytest.fixture
def campaign(jtel):
    account, _ = jtel
    return CampaignFactory(
        vendor_account=account,
        disposition_list=disposition_list_with_codes(),
        vendor_settings={"source": "Campaign 1000", "destination": "Spring DE"},
    )


def _code(campaign, code: str) -> DispositionCode:
    return DispositionCode.objects.get(disposition_list=campaign.disposition_list, code=code)


def _page(client, campaign) -> str:
    return client.get(reverse("campaigns:result-codes", args=[campaign.pk])).content.decode()


def test_the_templates_result_codes_are_read_before_the_campaign_is_on_jtel(
    supervisor_client, campaign
):
    html = _page(supervisor_client, campaign)
    assert "Read from jtel: the template campaign “Campaign 1000” (id 535)" in html
    for code, label in (("ABG", "Completed"), ("WV", "Call back"), ("Aufleger", "Hung up")):
        assert f"<td><code>{code}</code></td>\n        <td>{label}</td>" in html
        assert f'<select name="map-{code}"' in html
    assert html.count('<option value="">— not mapped —</option>') == 3
    sale = _code(campaign, "SALE")
    assert f'<option value="{sale.pk}">SALE: Sale</option>' in html


def test_the_mapping_is_saved_shown_and_used_for_results(supervisor_client, campaign):
    sale, callback = _code(campaign, "SALE"), _code(campaign, "CB")
    response = supervisor_client.post(
        reverse("campaigns:result-codes", args=[campaign.pk]),
        {"map-ABG": str(sale.pk), "map-WV": str(callback.pk), "map-Aufleger": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "Saved: 2 of 3 result codes mapped." in html
    assert f'<option value="{sale.pk}" selected>SALE: Sale</option>' in html
    assert result_code_lookup(campaign=campaign) == {"ABG": "SALE", "WV": "CB"}
    assert ResultCodeMapping.objects.get(campaign=campaign, vendor_code="ABG").vendor_label == (
        "Completed"
    )

    # Mapping a code to nothing again removes it.
    supervisor_client.post(
        reverse("campaigns:result-codes", args=[campaign.pk]),
        {"map-ABG": str(sale.pk), "map-WV": ""},
    )
    assert result_code_lookup(campaign=campaign) == {"ABG": "SALE"}


def test_the_campaigns_own_codes_once_it_is_on_jtel(supervisor_client, campaign, jtel):
    _, emulator = jtel
    cloned = emulator.add_campaign("Spring DE", like=535)
    emulator.result_codes[cloned["ID"]][0]["Content"]["1"] = "Closed as won"
    CampaignRemote.objects.create(campaign=campaign, remote_ref={"remote_id": str(cloned["ID"])})
    html = _page(supervisor_client, campaign)
    assert f"Read from jtel: the campaign on jtel (id {cloned['ID']})" in html
    assert "<td>Closed as won</td>" in html


def test_a_code_of_another_disposition_list_is_refused(supervisor_client, campaign):
    other = disposition_list_with_codes("Other outcomes").codes.get(code="SALE")
    response = supervisor_client.post(
        reverse("campaigns:result-codes", args=[campaign.pk]), {"map-ABG": str(other.pk)}
    )
    assert "is mapped to a disposition code that is not in the campaign&#x27;s" in (
        response.content.decode()
    )
    assert not ResultCodeMapping.objects.exists()


def test_an_unreachable_dialer_says_so_and_keeps_the_saved_mapping(
    supervisor_client, campaign, jtel
):
    _, emulator = jtel
    ResultCodeMapping.objects.create(
        campaign=campaign,
        vendor_code="ABG",
        vendor_label="Completed",
        disposition_code=_code(campaign, "SALE"),
    )
    emulator.inject(Fault.SERVER_ERROR, remaining=None)
    html = _page(supervisor_client, campaign)
    assert "The result codes could not be read from jtel: jtel could not be asked:" in html
    assert "The mappings saved before are shown." in html
    assert "<td><code>ABG</code></td>" in html
    assert "not read this time" in html


def test_other_vendors_say_they_document_no_result_code_listing(supervisor_client, monkeypatch):
    account, _ = emulated_account("webitel", monkeypatch=monkeypatch)
    campaign = CampaignFactory(vendor_account=account)
    html = _page(supervisor_client, campaign)
    assert "only jtel documents a call that lists a campaign's result codes" in html
    detail = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert "Map jtel's result codes" not in detail.content.decode()


def test_the_campaign_page_links_to_the_mapping(supervisor_client, campaign):
    detail = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert reverse("campaigns:result-codes", args=[campaign.pk]) in detail.content.decode()


def test_a_team_lead_reads_the_mapping_of_a_team_campaign_but_cannot_change_it(
    team_lead_client, team_lead, campaign
):
    ResultCodeMapping.objects.create(
        campaign=campaign,
        vendor_code="ABG",
        vendor_label="Completed",
        disposition_code=_code(campaign, "SALE"),
    )
    url = reverse("campaigns:result-codes", args=[campaign.pk])
    assert team_lead_client.get(url).status_code == 404  # not of the team lead's team
    campaign.team = team_lead.team
    campaign.save(update_fields=["team"])
    html = team_lead_client.get(url).content.decode()
    assert "<td>SALE: Sale</td>" in html
    assert "<select" not in html
    team_lead_client.post(url, {"map-ABG": ""})
    assert result_code_lookup(campaign=campaign) == {"ABG": "SALE"}
