"""Load the demo data: users of every role, then each app's own demo rows.

Each app contributes ``<app>/demo.py`` with ``load_demo(*, context) -> None``; they run in
``DEMO_LOADERS`` order and share ``context`` (a dict: the users and teams made here, and
whatever an earlier loader wants a later one to find). Safe to run twice.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import Team
from accounts.roles import Role
from accounts.services import user_create_with_role

DEMO_LOADERS = (
    "vendors.demo.load_demo",
    "leads.demo.load_demo",
    "campaigns.demo.load_demo",
)

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed to the person who ran the demo
DEMO_USERS = (
    ("supervisor", Role.SUPERVISOR, None),
    ("lead-north", Role.TEAM_LEAD, "North team"),
    ("lead-south", Role.TEAM_LEAD, "South team"),
    ("api", Role.API_CONSUMER, "North team"),
)


class Command(BaseCommand):
    help = "Create demo users, vendor sandbox accounts, lead lists and campaigns."

    def handle(self, *args, **options):
        with transaction.atomic():
            context = {"users": {}, "teams": {}}
            for username, role, team_name in DEMO_USERS:
                team = None
                if team_name:
                    team, _ = Team.objects.get_or_create(name=team_name)
                    context["teams"][team_name] = team
                context["users"][username] = user_create_with_role(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    team=team,
                    email=f"{username}@demo.invalid",
                    is_staff=role == Role.SUPERVISOR,
                    is_superuser=role == Role.SUPERVISOR,
                )
            for dotted in DEMO_LOADERS:
                import_string(dotted)(context=context)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (password for all):"))
        for username, role, team_name in DEMO_USERS:
            team = f", {team_name}" if team_name else ""
            self.stdout.write(f"  {username:<12} {role}{team}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
