"""The Acefone settings form's conditional fields follow the dial method, which the
campaign decides (the field map): the form shows the fields of the campaign's method."""

from vendors.adapters.acefone.forms import AcefoneCampaignForm


def test_a_preview_campaign_shows_the_auto_dial_duration():
    form = AcefoneCampaignForm(derived={"dial_method": "1"})
    assert form.fields["dial_method"].disabled
    assert form.applies("auto_dial_duration")
    assert not form.applies("dial_ratio")


def test_a_ratio_campaign_shows_the_ratio_field_even_when_posted_otherwise():
    # A disabled field ignores what is posted: the campaign's method decides.
    form = AcefoneCampaignForm(data={"dial_method": "1"}, derived={"dial_method": "2"})
    assert form.applies("dial_ratio")
    assert not form.applies("auto_dial_duration")
    form.is_valid()
    assert "dial_method" not in form.settings()
