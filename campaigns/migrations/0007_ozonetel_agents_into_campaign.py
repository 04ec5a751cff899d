"""Ozonetel's agents are the campaign's (issue #12): the agent ids typed in each Ozonetel
campaign's ``agent_skills`` rows move into the campaign's agents where it has none; the
skills stay vendor-only. See ``campaigns/vendor_values_move.py``."""

from django.db import migrations


def forwards(apps, schema_editor):
    from campaigns.vendor_values_move import ozonetel_agent_skills_move

    Campaign = apps.get_model("campaigns", "Campaign")
    agent_ids = apps.get_model("campaigns", "AgentRemoteId")
    campaigns = Campaign.objects.filter(vendor_account__kind="ozonetel")
    for campaign in campaigns.iterator(chunk_size=500):
        ozonetel_agent_skills_move(campaign=campaign, agent_ids_model=agent_ids)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_vendor_settings_into_campaign")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
