"""Prefix indexes for the lead search by name and e-mail (issue #16).

The search matches the start of the first name, the last name or the e-mail in any case
(``istartswith``, which PostgreSQL runs as ``UPPER(col::text) LIKE UPPER('ada%')``). A
b-tree on ``UPPER(col)`` with ``text_pattern_ops`` serves such a prefix ``LIKE`` under any
database collation. Prefix b-trees rather than trigram GIN: users type the start of a name
or an address, and a b-tree costs an import far less per row than a trigram GIN index.

PostgreSQL only: SQLite (the quick start) has no operator classes, and its searches are
small. The indexes are kept out of ``Lead.Meta.indexes`` for that reason.
"""

from django.db import migrations

SEARCHED_COLUMNS = {
    "first_name": "lead_first_name_prefix",
    "last_name": "lead_last_name_prefix",
    "email": "lead_email_prefix",
}


def indexes_add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, name in SEARCHED_COLUMNS.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "leads_lead" (UPPER("{column}") text_pattern_ops)'
        )


def indexes_remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCHED_COLUMNS.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0010_lead_bulk_run"),
    ]

    operations = [migrations.RunPython(indexes_add, indexes_remove)]
