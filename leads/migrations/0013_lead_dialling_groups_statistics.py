"""Statistics the planner needs to count a campaign's leads by group (``sync.dialling``):
how many distinct (list, status, zone, number key) there are. Without them PostgreSQL
takes each grouping column as independent and the number key (the first five characters
of the phone, unique per lead) as having a million values, so it sorts a million rows to
disk instead of aggregating in memory in parallel (bench/calling_windows.py: 13 s against
2-3 s on the same million leads). PostgreSQL 14 or later (statistics on an expression);
nothing elsewhere."""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS lead_dialling_groups (ndistinct) "
    "ON lead_list_id, status, timezone, (substr((phone)::text, 1, 5)) FROM leads_lead"
)
DROP = "DROP STATISTICS IF EXISTS lead_dialling_groups"


def _supported(schema_editor) -> bool:
    connection = schema_editor.connection
    return connection.vendor == "postgresql" and connection.pg_version >= 140000


def create(apps, schema_editor):
    if _supported(schema_editor):
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if _supported(schema_editor):
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("leads", "0012_dnchashedentry")]

    operations = [migrations.RunPython(create, drop)]
