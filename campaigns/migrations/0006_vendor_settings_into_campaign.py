"""Existing campaigns under the field map (issue #12): each vendor-settings value the
campaign has an equivalent of moves into the campaign where the campaign's is unset;
where both are set and differ the campaign wins, and what the dialer had is kept for the
page. See ``campaigns/vendor_values_move.py``."""

from django.db import migrations


def forwards(apps, schema_editor):
    from campaigns.vendor_values_move import vendor_values_move

    Campaign = apps.get_model("campaigns", "Campaign")
    agent_ids = apps.get_model("campaigns", "AgentRemoteId")
    list_ids = apps.get_model("campaigns", "ListRemoteId")
    campaigns = Campaign.objects.exclude(vendor_account=None).select_related("vendor_account")
    for campaign in campaigns.iterator(chunk_size=500):
        vendor_values_move(campaign=campaign, agent_ids_model=agent_ids, list_ids_model=list_ids)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_list_remote_ids")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
