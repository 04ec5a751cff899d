"""Recount the kept result figures from the result rows, correct them and say what had
drifted: what the hourly beat task does, for one campaign or all."""

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from results.kept_counts import result_counts_recount, result_counts_recount_all


class Command(BaseCommand):
    help = "Recount the campaigns' kept result counts and report any drift."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="only this campaign (its id)")

    def handle(self, *args, campaign=None, **options):
        if campaign is not None:
            if not Campaign.objects.filter(pk=campaign).exists():
                raise CommandError(f"No campaign {campaign}.")
            drift = result_counts_recount(campaign_id=campaign)
            drifted = {campaign: len(drift)} if drift else {}
            for group, difference in sorted(drift.items()):
                self.stdout.write(f"campaign {campaign}: {group}: kept − real = {difference:+d}")
        else:
            drifted = result_counts_recount_all()
        if not drifted:
            self.stdout.write("The kept result counts agreed with the rows.")
            return
        for pk, groups in sorted(drifted.items()):
            self.stdout.write(f"campaign {pk}: {groups} group(s) had drifted; corrected")
