from __future__ import annotations

import pytest

from vendors.demo import load_demo
from vendors.models import VendorAccount
from vendors.sandbox import sandbox_credentials
from vendors.services import vendor_account_credentials

pytestmark = pytest.mark.django_db


def test_one_sandbox_account_per_vendor_and_safe_twice(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    context: dict = {}
    load_demo(context=context)
    load_demo(context=context)
    accounts = context["vendor_accounts"]
    assert "acefone" in accounts
    assert VendorAccount.objects.count() == len(accounts)
    acefone = accounts["acefone"]
    assert acefone.base_url == "http://127.0.0.1:8123/sandbox/acefone"
    assert vendor_account_credentials(account=acefone) == sandbox_credentials("acefone")
