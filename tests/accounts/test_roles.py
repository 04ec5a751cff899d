import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.access import team_scope
from accounts.models import User
from accounts.roles import ROLE_GRANTS, Role, role_permissions_sync
from tests.accounts.factories import TeamFactory, UserFactory


@pytest.mark.django_db
def test_roles_exist_with_their_permissions():
    role_permissions_sync()
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    team_lead = Group.objects.get(name=Role.TEAM_LEAD)
    codenames = {p.content_type.app_label + "." + p.codename for p in team_lead.permissions.all()}
    assert "leads.add_leadlist" in codenames
    assert not any(c.startswith("vendors.") for c in codenames)
    assert all(
        c.split(".")[1].split("_")[0] == "view" for c in codenames if c.startswith("campaigns.")
    )


@pytest.mark.django_db
def test_supervisor_holds_every_permission_of_the_console_apps():
    user = UserFactory(role=Role.SUPERVISOR)
    assert user.is_supervisor
    from django.contrib.auth.models import Permission

    for app_label in ROLE_GRANTS[Role.SUPERVISOR]:
        for perm in Permission.objects.filter(content_type__app_label=app_label):
            action = perm.codename.split("_")[0]
            if action in ROLE_GRANTS[Role.SUPERVISOR][app_label]:
                assert user.has_perm(f"{app_label}.{perm.codename}")


@pytest.mark.django_db
def test_team_scope_limits_non_supervisors_to_their_team():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    lead = UserFactory(role=Role.TEAM_LEAD, team=north)
    UserFactory(team=south)
    assert list(team_scope(User.objects.filter(team__isnull=False), lead)) == list(
        User.objects.filter(team=north)
    )
    orphan = UserFactory(role=Role.TEAM_LEAD)
    assert not team_scope(User.objects.all(), orphan).exists()
    boss = UserFactory(role=Role.SUPERVISOR)
    assert team_scope(User.objects.all(), boss).count() == User.objects.count()


@pytest.mark.django_db
def test_create_supervisor_command_needs_no_prompt(capsys):
    call_command("create_supervisor", "alice", "--password", "a long passphrase here")
    alice = User.objects.get(username="alice")
    assert alice.check_password("a long passphrase here")
    assert alice.is_supervisor
    assert "Supervisor 'alice' is ready" in capsys.readouterr().out
