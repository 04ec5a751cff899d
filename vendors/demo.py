"""Demo data: one sandbox vendor account per vendor, pointing at this console's own
``/sandbox/<kind>`` emulators. Safe to run twice."""

from __future__ import annotations

from django.conf import settings

from vendors.models import VendorAccount
from vendors.sandbox import SandboxUnknownVendor, sandbox_credentials
from vendors.selectors import vendor_installed_kinds
from vendors.services import vendor_account_save


def load_demo(*, context: dict) -> None:
    accounts = {}
    for kind, label in vendor_installed_kinds():
        try:
            credentials = sandbox_credentials(kind)
        except SandboxUnknownVendor:
            continue
        name = f"{label} sandbox"
        accounts[kind] = vendor_account_save(
            account=VendorAccount.objects.filter(name=name).first(),
            name=name,
            kind=kind,
            base_url=f"{settings.SITE_URL}/sandbox/{kind}",
            credentials=credentials,
        )
    context["vendor_accounts"] = accounts
