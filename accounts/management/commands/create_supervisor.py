from django.core.management.base import BaseCommand

from accounts.roles import Role
from accounts.services import user_create_with_role


class Command(BaseCommand):
    help = "Create (or reset) a supervisor without the interactive createsuperuser."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--staff", action="store_true", help="also allow the Django admin")

    def handle(self, *args, username, password, email, staff, **options):
        user_create_with_role(
            username=username,
            password=password,
            role=Role.SUPERVISOR,
            email=email,
            is_staff=staff,
            is_superuser=staff,
        )
        self.stdout.write(self.style.SUCCESS(f"Supervisor {username!r} is ready."))
