from __future__ import annotations

import factory

from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
from vendors.models import VendorAccount, VendorCall
from vendors.services import vendor_account_save


class VendorAccountFactory(factory.django.DjangoModelFactory):
    """An Acefone account with the sandbox credentials, saved through the service so they
    are encrypted as in production."""

    class Meta:
        model = VendorAccount

    name = factory.Sequence(lambda n: f"Vendor account {n}")
    kind = "acefone"
    base_url = ""
    credentials = factory.LazyFunction(lambda: dict(SANDBOX_CREDENTIALS))

    @classmethod
    def _create(cls, model_class, *, name, kind, base_url, credentials, **kwargs):
        return vendor_account_save(
            account=None, name=name, kind=kind, base_url=base_url, credentials=credentials
        )


class VendorCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorCall

    account = factory.SubFactory(VendorAccountFactory)
    vendor_kind = "acefone"
    operation = "lead_push"
    method = "POST"
    url = "https://api.acefone.in/v1/broadcast/lead/101"
    status_code = 200
    duration_ms = 12
    request_excerpt = '{"field_0": "+919812345678"}'
    response_excerpt = '{"success": true}'
