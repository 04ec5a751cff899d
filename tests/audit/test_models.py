"""Every audited model: a create and a change each leave an entry with the door and the
changed field's old and new values; a delete leaves one too. Secrets never appear."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.apps import apps

from accounts.models import Team
from audit.context import Door, audit_door
from audit.registry import AUDITED
from campaigns import models as c
from leads import models as le
from tests.accounts.factories import UserFactory
from tests.audit.conftest import entries_of
from tests.campaigns.factories import (
    AgentFactory,
    CampaignFactory,
    DispositionListFactory,
    PauseCodeListFactory,
)
from tests.campaigns.factories import VendorAccountFactory as BareAccountFactory
from tests.leads.factories import DncEntryFactory, ImportJobFactory, LeadListFactory
from tests.vendors.factories import VendorAccountFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def _window():
    return c.CallingWindow.objects.create(name="Office hours")


# label -> (make an instance, field to change, its new value)
CHANGES = {
    "campaigns.Campaign": (
        lambda: CampaignFactory(vendor_account=BareAccountFactory()),
        "caller_id",
        "+4930999",
    ),
    "campaigns.CampaignLeadList": (
        lambda: c.CampaignLeadList.objects.create(
            campaign=CampaignFactory(vendor_account=BareAccountFactory()),
            lead_list=LeadListFactory(),
        ),
        "active",
        False,
    ),
    "campaigns.Agent": (AgentFactory, "name", "Renamed agent"),
    "campaigns.AgentRemoteId": (
        lambda: c.AgentRemoteId.objects.create(
            agent=AgentFactory(), vendor_account=BareAccountFactory(), remote_id="a1"
        ),
        "remote_id",
        "a2",
    ),
    "campaigns.DispositionList": (DispositionListFactory, "name", "Renamed list"),
    "campaigns.DispositionCode": (
        lambda: c.DispositionCode.objects.create(
            disposition_list=DispositionListFactory(), code="NA", label="No answer"
        ),
        "label",
        "Nobody",
    ),
    "campaigns.PauseCodeList": (PauseCodeListFactory, "name", "Renamed pauses"),
    "campaigns.PauseCode": (
        lambda: c.PauseCode.objects.create(
            pause_code_list=PauseCodeListFactory(), code="LUNCH", label="Lunch"
        ),
        "label",
        "Break",
    ),
    "campaigns.CallingWindow": (_window, "name", "Evenings"),
    "campaigns.CallingWindowDay": (
        lambda: c.CallingWindowDay.objects.create(calling_window=_window(), weekday=1),
        "end",
        datetime.time(18, 0),
    ),
    "campaigns.CallingWindowHoliday": (
        lambda: c.CallingWindowHoliday.objects.create(
            calling_window=_window(), date=datetime.date(2026, 12, 25), label="Xmas"
        ),
        "label",
        "Christmas",
    ),
    "vendors.VendorAccount": (VendorAccountFactory, "base_url", "https://example.com"),
    "leads.LeadList": (LeadListFactory, "name", "Renamed leads"),
    "leads.ImportJob": (ImportJobFactory, "state", le.ImportState.DONE),
    "leads.DncEntry": (DncEntryFactory, "reason", "Asked on the phone"),
    "leads.DncFileJob": (
        lambda: le.DncFileJob.objects.create(original_name="dnc.csv", file="dnc/x.csv"),
        "state",
        le.DncFileState.DONE,
    ),
    "accounts.User": (UserFactory, "email", "new@example.test"),
    "accounts.Team": (lambda: Team.objects.create(name="West"), "name", "East"),
    "webhooks.WebhookEndpoint": (
        lambda: WebhookEndpoint.objects.create(
            team=Team.objects.create(name="Hooks"),
            url="https://crm.example.com/",
            events=["import.finished"],
            secret_encrypted="x",
        ),
        "active",
        False,
    ),
}


def test_every_audited_model_has_a_case_here():
    assert set(CHANGES) == set(AUDITED)


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_create_change_and_delete_are_recorded_with_door_and_fields(label):
    make, field, value = CHANGES[label]
    model = apps.get_model(label)
    with audit_door(Door.PAGE):
        instance = make()
        old = getattr(instance, field)
        setattr(instance, field, value)
        instance.save()
    entries = list(entries_of(model, instance.pk))
    assert entries[0].action == LogEntry.Action.CREATE
    change = entries[-1]
    assert change.action == LogEntry.Action.UPDATE
    assert change.additional_data["door"] == Door.PAGE
    old_text, new_text = change.changes[field]
    assert str(new_text) == str(value) and str(old_text) == str(old)
    pk = instance.pk
    with audit_door(Door.ADMIN):
        instance.delete()
    deleted = entries_of(model, pk).last()
    assert deleted.action == LogEntry.Action.DELETE
    assert deleted.additional_data["door"] == Door.ADMIN


def test_a_vendor_secret_change_says_only_that_it_changed():
    from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
    from vendors.services import vendor_account_save, vendor_adapter_class

    account = VendorAccountFactory()
    secret_field = next(
        f.name for f in vendor_adapter_class("acefone").credential_fields if f.secret
    )
    new_secret = "rotated-S3cr3t-value-77"
    vendor_account_save(
        account=account,
        name=account.name,
        kind="acefone",
        base_url="",
        credentials={**SANDBOX_CREDENTIALS, secret_field: new_secret},
    )
    entry = entries_of(type(account), account.pk).last()
    assert entry.changes == {"credentials_encrypted": ["(secret)", "(secret)"]}
    account.refresh_from_db()
    text = str(list(LogEntry.objects.values_list("changes", "object_repr", "additional_data")))
    for secret in (new_secret, SANDBOX_CREDENTIALS[secret_field], account.credentials_encrypted):
        assert secret not in text


def test_a_webhook_secret_rotation_says_only_that_it_changed(settings, monkeypatch):
    from vendors.adapters.http import egress
    from webhooks.services.endpoints import (
        webhook_endpoint_create,
        webhook_endpoint_rotate_secret,
    )

    settings.VENDOR_SANDBOX = False
    monkeypatch.setattr(egress, "resolve", lambda host, port: ["93.184.216.34"])
    endpoint, first = webhook_endpoint_create(
        team=Team.objects.create(name="Hooks"),
        url="https://crm.example.com/",
        events=["import.finished"],
    )
    second = webhook_endpoint_rotate_secret(endpoint=endpoint)
    entry = entries_of(WebhookEndpoint, endpoint.pk).last()
    assert entry.changes["secret_encrypted"] == ["(secret)", "(secret)"]
    text = str(list(LogEntry.objects.values_list("changes", "object_repr", "additional_data")))
    for secret in (first, second, endpoint.secret_encrypted):
        assert secret not in text
