"""The call log's operations: a fixed set per adapter, named once
(``vendors/adapters/operations.py``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.vendors.factories import VendorAccountFactory, VendorCallFactory
from vendors.adapters.operations import OPERATION_NAMES, operation_label
from vendors.adapters.registry import ADAPTERS, adapter_class
from vendors.services import vendor_adapter

KINDS = sorted(ADAPTERS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_operation_of_every_adapter_has_a_name(kind):
    operations = adapter_class(kind).operations
    assert operations, f"{kind} lists no operations"
    assert operations <= set(OPERATION_NAMES), operations - set(OPERATION_NAMES)


def test_a_call_outside_the_adapters_set_is_refused(emulated_account):
    account, emulator = emulated_account("webitel")
    adapter = vendor_adapter(account=account)
    with pytest.raises(LookupError, match="no operation 'lead_dance'"):
        adapter._call("lead_dance", "GET", "/")
    assert emulator.requests == []  # refused before anything was sent


def test_names_show_with_the_code_beside():
    assert operation_label("leads_push_bulk") == "Push leads (bulk) · leads_push_bulk"
    assert operation_label("gone_op") == "gone_op"


@pytest.mark.django_db
def test_the_call_log_filter_lists_the_adapters_operations_without_reading_the_log(
    supervisor_client,
):
    account = VendorAccountFactory(kind="acefone")
    VendorCallFactory(account=account, operation="leads_push_bulk")
    url = reverse("vendors:account-calls", args=[account.pk])
    with CaptureQueriesContext(connection) as queries:
        page = supervisor_client.get(url)
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    choices = dict(page.context["filters"].fields["operation"].choices)
    assert set(choices) - {""} == set(adapter_class("acefone").operations)
    html = page.content.decode()
    assert '<option value="leads_push_bulk">Push leads (bulk) · leads_push_bulk</option>' in html
    assert "<td>Push leads (bulk) · leads_push_bulk</td>" in html  # the row, too
    filtered = supervisor_client.get(url, {"operation": "pending_count"})
    assert list(filtered.context["page"].rows) == []
