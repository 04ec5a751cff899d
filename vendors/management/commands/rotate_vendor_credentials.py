from django.core.management.base import BaseCommand, CommandError

from dialer_console.errors import ApplicationError
from vendors.services import vendor_credentials_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every vendor account's credentials with the first key of "
        "VENDOR_CREDENTIALS_KEYS (put the new key first, run this, then drop the old key)."
    )

    def handle(self, *args, **options):
        try:
            count = vendor_credentials_rotate()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        message = f"Re-encrypted the credentials of {count} account(s)."
        self.stdout.write(self.style.SUCCESS(message))
