from __future__ import annotations

import json

import httpx
import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.vendors.factories import VendorAccountFactory, VendorCallFactory
from tests.vendors.test_redaction import assert_hidden
from vendors import services
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
from vendors.models import VendorAccount
from vendors.services import vendor_account_credentials

pytestmark = pytest.mark.django_db
SECRET = SANDBOX_CREDENTIALS["token"]


def test_list_shows_accounts_with_health(supervisor_client):
    account = VendorAccountFactory(name="Acefone India")
    response = supervisor_client.get(reverse("vendors:account-list"))
    assert response.status_code == 200
    assert account.name.encode() in response.content
    assert b"Not checked" in response.content
    assert SECRET.encode() not in response.content


def test_team_lead_is_refused(team_lead_client):
    account = VendorAccountFactory()
    for url in (
        reverse("vendors:account-list"),
        reverse("vendors:account-create"),
        reverse("vendors:account-detail", args=[account.pk]),
        reverse("vendors:account-calls", args=[account.pk]),
    ):
        assert team_lead_client.get(url).status_code == 403
    url = reverse("vendors:account-test", args=[account.pk])
    assert team_lead_client.post(url).status_code == 403


def test_choosing_a_kind_swaps_in_its_credential_fields(supervisor_client):
    response = supervisor_client.get(
        reverse("vendors:account-create"), {"kind": "acefone"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="credential-fields"' in body
    assert 'name="cred_token"' in body and 'name="cred_login_id"' in body
    assert "<html" not in body


def test_choosing_a_kind_without_javascript_posts_once(supervisor_client):
    response = supervisor_client.post(
        reverse("vendors:account-create"), {"name": "Mine", "kind": "acefone", "choose_kind": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="cred_token"' in body
    assert 'value="Mine"' in body
    assert "field-error" not in body
    assert not VendorAccount.objects.exists()


def test_create_encrypts_and_redirects(supervisor_client):
    response = supervisor_client.post(
        reverse("vendors:account-create"),
        {"name": "Acefone India", "kind": "acefone", "base_url": "", "cred_token": SECRET},
    )
    account = VendorAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vendors:account-detail", args=[account.pk])
    assert account.base_url == "https://api.acefone.in"
    assert SECRET not in account.credentials_encrypted


def test_create_with_incomplete_credentials_keeps_the_input(supervisor_client):
    response = supervisor_client.post(
        reverse("vendors:account-create"),
        {"name": "Acefone India", "kind": "acefone", "cred_login_id": "ops@example.test"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "needs an API token, or a login and a password" in body
    assert 'value="Acefone India"' in body and 'value="ops@example.test"' in body
    assert not VendorAccount.objects.exists()


def test_create_with_a_bad_url_says_so(supervisor_client):
    response = supervisor_client.post(
        reverse("vendors:account-create"),
        {"name": "X", "kind": "acefone", "base_url": "not a url", "cred_token": SECRET},
    )
    assert b"Enter a valid URL" in response.content
    assert SECRET.encode() not in response.content
    assert not VendorAccount.objects.exists()


def test_create_without_a_kind_says_so(supervisor_client):
    response = supervisor_client.post(reverse("vendors:account-create"), {"name": "X"})
    assert b"This field is required" in response.content


def test_edit_never_shows_the_saved_secret_and_blank_keeps_it(supervisor_client):
    account = VendorAccountFactory(name="Acefone India")
    url = reverse("vendors:account-edit", args=[account.pk])
    page = supervisor_client.get(url).content.decode()
    assert SECRET not in page
    assert "Replace API token" in page
    assert SANDBOX_CREDENTIALS["login_id"] in page  # not a secret: shown for editing
    response = supervisor_client.post(
        url,
        {"name": "Acefone IN", "base_url": account.base_url, "cred_token": "",
         "cred_login_id": SANDBOX_CREDENTIALS["login_id"], "cred_password": ""},
    )  # fmt: skip
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "Acefone IN"
    assert vendor_account_credentials(account=account)["token"] == SECRET


def test_edit_replaces_a_secret(supervisor_client):
    account = VendorAccountFactory()
    supervisor_client.post(
        reverse("vendors:account-edit", args=[account.pk]),
        {"name": account.name, "base_url": account.base_url, "cred_token": "brand-new-token"},
    )
    account.refresh_from_db()
    assert vendor_account_credentials(account=account)["token"] == "brand-new-token"


def test_detail_shows_the_capability_matrix_with_reasons(supervisor_client):
    account = VendorAccountFactory()
    body = supervisor_client.get(reverse("vendors:account-detail", args=[account.pk])).content
    assert b"Start and stop" in body
    assert b"Start and stop the campaign in Acefone&#x27;s dashboard." in body
    assert b"Test connection" in body


def test_test_connection_htmx_answers_at_the_button(supervisor_client, emulated_account):
    account, _ = emulated_account("acefone")
    response = supervisor_client.post(
        reverse("vendors:account-test", args=[account.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="health"')
    assert "Healthy" in body and "Acefone answered: 3 lead list(s)." in body


def test_test_connection_wrong_secret_shows_the_vendors_message(
    supervisor_client, emulated_account
):
    account, _ = emulated_account("acefone", account_credentials={"token": "wrong-token-1"})
    response = supervisor_client.post(
        reverse("vendors:account-test", args=[account.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Failing" in body
    assert "Unauthorized: invalid or expired token" in body
    assert "wrong-token-1" not in body


def test_test_connection_without_javascript_redirects_with_a_message(
    supervisor_client, emulated_account
):
    account, _ = emulated_account("acefone")
    response = supervisor_client.post(
        reverse("vendors:account-test", args=[account.pk]), follow=True
    )
    assert b"Acefone answered" in response.content
    assert response.redirect_chain[-1][0] == reverse("vendors:account-detail", args=[account.pk])


def test_test_connection_is_post_only(supervisor_client):
    account = VendorAccountFactory()
    assert (
        supervisor_client.get(reverse("vendors:account-test", args=[account.pk])).status_code == 405
    )


def test_call_log_filters_and_pages_by_keyset(supervisor_client):
    account = VendorAccountFactory()
    pushes = [VendorCallFactory(account=account, operation="lead_push") for _ in range(55)]
    VendorCallFactory(account=account, operation="campaign_create", status_code=400)
    url = reverse("vendors:account-calls", args=[account.pk])
    first = supervisor_client.get(url)
    assert len(first.context["page"].rows) == 50
    failed = supervisor_client.get(url, {"outcome": "failed"})
    assert [c.operation for c in failed.context["page"].rows] == ["campaign_create"]
    newest_pushes = supervisor_client.get(url, {"operation": "lead_push"})
    next_url = newest_pushes.context["page"].next_url
    assert next_url.startswith(f"{url}?operation=lead_push&after=")
    older = supervisor_client.get(next_url, HTTP_HX_REQUEST="true")
    # Calls made in the same instant are ordered by id: the five oldest pushes are left.
    assert {c.pk for c in older.context["page"].rows} == {c.pk for c in pushes[:5]}
    assert b'<div id="calls">' in older.content and b"<html" not in older.content


def test_call_log_ignores_a_bad_filter_and_says_a_bad_position(supervisor_client):
    account = VendorAccountFactory()
    VendorCallFactory(account=account)
    response = supervisor_client.get(
        reverse("vendors:account-calls", args=[account.pk]), {"operation": "nope", "after": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 1
    assert "is not a position in this list" in response.content.decode()


def test_dashboard_tile_counts_failing_healthy_and_unchecked_accounts(supervisor):
    from vendors.selectors import vendor_dashboard_tiles

    VendorAccountFactory()
    failing = VendorAccountFactory()
    failing.health_ok = False
    failing.save()
    [tile] = vendor_dashboard_tiles(user=supervisor)
    assert (tile.value, tile.note) == (2, "1 failing · 1 not checked yet")
    healthy = VendorAccountFactory()
    healthy.health_ok = True
    healthy.save()
    [tile] = vendor_dashboard_tiles(user=supervisor)
    assert (tile.value, tile.note) == (3, "1 failing · 1 healthy · 1 not checked yet")
    assert vendor_dashboard_tiles(user=UserFactory(role="Team lead")) == []


def test_dashboard_tile_never_says_none_failing_when_nothing_was_checked(supervisor):
    from vendors.selectors import vendor_dashboard_tiles

    assert vendor_dashboard_tiles(user=supervisor)[0].note == "none yet"
    VendorAccountFactory()
    [tile] = vendor_dashboard_tiles(user=supervisor)
    assert tile.note == "1 not checked yet" and "failing" not in tile.note


# --- no page shows a secret that JSON or HTML escaping would disguise -----------------

TRICKY_CODE = 'Se"cr\\et-Code-9'


def _voicenter_echoing_the_code(request):
    sent = json.loads(request.content)
    reply = {"ErrorCode": 1, "Description": f"Code {sent['Code']} is wrong", "Echo": sent}
    return httpx.Response(200, json=reply)


def test_no_page_shows_a_secret_with_a_quote_or_a_backslash(
    supervisor_client, admin_client, monkeypatch
):
    account = services.vendor_account_save(
        account=None,
        name="Voicenter main",
        kind="voicenter",
        base_url="",
        credentials={"code": TRICKY_CODE},
    )
    monkeypatch.setattr(
        services,
        "_default_transport",
        lambda for_account: httpx.MockTransport(_voicenter_echoing_the_code),
    )
    test_url = reverse("vendors:account-test", args=[account.pk])
    health = supervisor_client.post(test_url, HTTP_HX_REQUEST="true")
    supervisor_client.post(test_url)  # without JavaScript: the message on the next page
    calls_url = reverse("vendors:account-calls", args=[account.pk])
    pages = [
        health,
        supervisor_client.get(reverse("vendors:account-detail", args=[account.pk])),
        supervisor_client.get(calls_url),
        supervisor_client.get(calls_url, HTTP_HX_REQUEST="true"),
        admin_client.get(reverse("admin:vendors_vendoraccount_change", args=[account.pk])),
        admin_client.get(reverse("admin:vendors_vendorcall_changelist")),
    ]
    call = account.calls.first()
    pages.append(admin_client.get(reverse("admin:vendors_vendorcall_change", args=[call.pk])))
    for page in pages:
        assert page.status_code == 200
        assert_hidden(TRICKY_CODE, page.content.decode())
    account.refresh_from_db()
    assert "Voicenter said" in account.health_message
    for row in account.calls.all():
        assert_hidden(TRICKY_CODE, row.url, row.request_excerpt, row.response_excerpt, row.error)


def test_the_matrix_says_what_a_supported_operation_really_gives(
    supervisor_client, emulated_account
):
    account, _ = emulated_account("ozonetel")
    body = supervisor_client.get(reverse("vendors:account-detail", args=[account.pk]))
    assert "A position, not a count" in body.content.decode()
