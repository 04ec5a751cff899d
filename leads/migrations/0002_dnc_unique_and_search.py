"""DNC entries: once per scope and target, and indexes for the do-not-call page's search
and expiry filter. Entries listed twice before (the admin allowed it) keep the one that
lasts longest; the others are dropped, so the unique constraints can be created."""

from django.db import migrations, models
from django.db.models import Count


def drop_repeated_entries(apps, schema_editor):
    DncEntry = apps.get_model("leads", "DncEntry")
    repeated = (
        DncEntry.objects.values("phone", "scope", "campaign_id", "lead_list_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for group in repeated.iterator():
        entries = list(
            DncEntry.objects.filter(
                phone=group["phone"],
                scope=group["scope"],
                campaign_id=group["campaign_id"],
                lead_list_id=group["lead_list_id"],
            ).order_by("id")
        )
        # Keep one without an expiry if there is one, else the one that expires last.
        keep = max(entries, key=lambda e: (e.expires_at is None, e.expires_at or 0, -e.id))
        DncEntry.objects.filter(pk__in=[e.pk for e in entries if e.pk != keep.pk]).delete()


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]

    operations = [
        migrations.RunPython(drop_repeated_entries, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="dncentry",
            index=models.Index(
                fields=["phone"], name="dncentry_phone_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="dncentry",
            index=models.Index(fields=["expires_at"], name="dncentry_expires_at"),
        ),
        migrations.AddConstraint(
            model_name="dncentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("scope", "everywhere")),
                fields=("phone",),
                name="dnc_once_everywhere",
            ),
        ),
        migrations.AddConstraint(
            model_name="dncentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("scope", "campaign")),
                fields=("phone", "campaign_id"),
                name="dnc_once_per_campaign",
            ),
        ),
        migrations.AddConstraint(
            model_name="dncentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("scope", "list")),
                fields=("phone", "lead_list"),
                name="dnc_once_per_list",
            ),
        ),
    ]
