"""A campaign of a team may only use lead lists of that team (issue 11: team A read team
B's leads through a campaign B's list was attached to). A campaign without a team is a
supervisor's and may use any list. Service, page form and API."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, CampaignLeadList
from dialer_console.errors import ApplicationError
from tests.accounts.factories import TeamFactory
from tests.campaigns.factories import CampaignFactory
from tests.leads.factories import LeadListFactory

pytestmark = pytest.mark.django_db

REFUSED = "may only use lead lists of its own team"


@pytest.fixture
def north():
    return TeamFactory(name="North")


@pytest.fixture
def south_list():
    return LeadListFactory(team=TeamFactory(name="South"), name="South calls")


def _create(supervisor, team, lead_lists):
    return services.campaign_create(
        fields={"name": "C", "team": team},
        vendor_settings={},
        lead_lists=[services.LeadListLink(lead_list) for lead_list in lead_lists],
        acting_user=supervisor,
    )


def test_a_teams_campaign_takes_its_own_teams_lists(supervisor, north):
    own = LeadListFactory(team=north)
    campaign = _create(supervisor, north, [own])
    assert list(campaign.lead_lists.all()) == [own]


@pytest.mark.parametrize("owner", ["another team", "no team"])
def test_a_teams_campaign_refuses_another_teams_list_on_create(
    supervisor, north, south_list, owner
):
    foreign = south_list if owner == "another team" else LeadListFactory(team=None)
    with pytest.raises(ApplicationError, match=REFUSED) as refused:
        _create(supervisor, north, [LeadListFactory(team=north), foreign])
    assert refused.value.extra == {"field": "lead_lists", "lead_list": foreign.pk}
    assert not Campaign.objects.exists()


def test_a_campaign_without_a_team_may_use_any_list(supervisor, north, south_list):
    campaign = _create(supervisor, None, [LeadListFactory(team=north), south_list])
    assert campaign.lead_lists.count() == 2


def test_attach_refuses_another_teams_list(supervisor, north, south_list):
    campaign = CampaignFactory(team=north)
    with pytest.raises(ApplicationError, match=REFUSED):
        services.campaign_lead_list_attach(
            campaign=campaign, lead_list=south_list, acting_user=supervisor
        )
    assert not campaign.list_links.exists()


def test_update_refuses_another_teams_list(supervisor, north, south_list):
    campaign = CampaignFactory(team=north)
    with pytest.raises(ApplicationError, match=REFUSED):
        services.campaign_update(
            campaign=campaign,
            fields={},
            lead_lists=[services.LeadListLink(south_list)],
            acting_user=supervisor,
        )
    assert not campaign.list_links.exists()


def test_giving_a_team_to_a_campaign_that_uses_other_teams_lists_is_refused(
    supervisor, north, south_list
):
    campaign = _create(supervisor, None, [south_list])
    with pytest.raises(ApplicationError, match="“South calls” belongs to team South"):
        services.campaign_update(campaign=campaign, fields={"team": north}, acting_user=supervisor)
    campaign.refresh_from_db()
    assert campaign.team is None


def test_clone_of_a_campaign_linked_before_the_rule_is_refused(supervisor, north, south_list):
    campaign = CampaignFactory(team=north)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=south_list)  # an old link
    with pytest.raises(ApplicationError, match=REFUSED):
        services.campaign_clone(campaign=campaign, acting_user=supervisor)


def test_the_page_shows_the_refusal_on_the_lead_lists_field(supervisor_client, north, south_list):
    response = supervisor_client.post(
        reverse("campaigns:create"),
        {
            "name": "North calls",
            "team": str(north.pk),
            "dial_method": "preview",
            "retry_count": "3",
            "retry_interval_minutes": "60",
            "wrap_up_seconds": "30",
            "ring_timeout_seconds": "30",
            "lead_lists-TOTAL": "1",
            "lead_lists-0-lead_list": str(south_list.pk),
            "lead_lists-0-active": "on",
        },
    )
    assert response.status_code == 422
    errors = response.context["editor"].campaign_form.errors
    assert REFUSED in errors["lead_lists"][0]
    assert not Campaign.objects.exists()


def test_the_api_answers_400_with_the_message(api_client, supervisor, north, south_list):
    api_client.force_authenticate(supervisor)
    response = api_client.post(
        "/api/v1/campaigns/",
        {"name": "North calls", "team": north.pk, "lead_lists": [{"lead_list": south_list.pk}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert REFUSED in body["message"]
    assert body["extra"] == {"field": "lead_lists", "lead_list": south_list.pk}
    campaign = CampaignFactory(team=north)
    patched = api_client.patch(
        f"/api/v1/campaigns/{campaign.pk}/",
        {"lead_lists": [{"lead_list": south_list.pk, "active": True}]},
        format="json",
    )
    assert patched.status_code == 400 and REFUSED in patched.json()["message"]
    assert not campaign.list_links.exists()


# A link made before the rule existed (or by hand in the database) must not leak either:
# the campaign's leads page and API show a team's users only their own team's leads.


@pytest.fixture
def old_foreign_link(team_lead, south_list):
    from tests.leads.factories import LeadFactory

    campaign = CampaignFactory(team=team_lead.team)
    own_list = LeadListFactory(team=team_lead.team, name="North calls")
    CampaignLeadList.objects.create(campaign=campaign, lead_list=own_list, active=True)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=south_list, active=True)
    own = LeadFactory(lead_list=own_list, first_name="Nora")
    foreign = LeadFactory(lead_list=south_list, first_name="Sami")
    return campaign, own, foreign


def test_the_leads_page_hides_leads_of_an_old_foreign_link(client, team_lead, old_foreign_link):
    campaign, own, foreign = old_foreign_link
    client.force_login(team_lead)
    page = client.get(reverse("campaigns:leads", args=[campaign.pk]))
    assert page.status_code == 200
    assert own.phone in page.content.decode()
    assert foreign.phone not in page.content.decode()
    assert "South calls" not in page.content.decode()


def test_the_leads_api_hides_leads_of_an_old_foreign_link(
    api_client, api_consumer, old_foreign_link
):
    campaign, own, foreign = old_foreign_link
    api_consumer.team = campaign.team
    api_consumer.save()
    api_client.force_authenticate(api_consumer)
    reply = api_client.get(reverse("api-campaign-leads", args=[campaign.pk]))
    assert reply.status_code == 200
    assert [row["id"] for row in reply.json()["results"]] == [own.pk]


def test_a_foreign_lead_is_not_found_through_an_old_link(supervisor, team_lead, old_foreign_link):
    from django.http import Http404

    from campaigns.selectors import lead_in_campaign_or_404

    campaign, own, foreign = old_foreign_link
    with pytest.raises(Http404):
        lead_in_campaign_or_404(campaign=campaign, lead_id=foreign.pk, user=team_lead)
    assert lead_in_campaign_or_404(campaign=campaign, lead_id=own.pk, user=team_lead) == own
    assert lead_in_campaign_or_404(campaign=campaign, lead_id=foreign.pk, user=supervisor)
