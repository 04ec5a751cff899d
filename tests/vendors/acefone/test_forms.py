"""The Acefone settings form's conditional fields follow what the page shows."""

from vendors.adapters.acefone.forms import AcefoneCampaignForm


def test_a_new_form_shows_the_fields_of_the_dial_method_the_select_shows_first():
    form = AcefoneCampaignForm()
    # The select has no empty choice, so the browser shows and submits Preview ("1").
    assert form.applies("auto_dial_duration")
    assert not form.applies("dial_ratio")


def test_a_saved_ratio_campaign_shows_the_ratio_field():
    form = AcefoneCampaignForm(initial={"dial_method": "2"})
    assert form.applies("dial_ratio")
    assert not form.applies("auto_dial_duration")
