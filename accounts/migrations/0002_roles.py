"""Create the three role groups. Their permissions are set after every migrate by
``accounts.roles.role_permissions_sync`` (permissions only exist after post_migrate)."""

from django.db import migrations

ROLES = ("Supervisor", "Team lead", "API consumer")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, drop_roles)]
