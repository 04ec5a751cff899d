"""Vendor account pages: list, add, edit, the account (capabilities, health, "Test
connection") and its call log. Supervisors only (the vendors app's permissions)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_page
from results.lead_report import RESULT_LABELS
from vendors.crypto import CredentialsUnreadable, credentials_decrypt
from vendors.forms import CallLogFilterForm, VendorAccountForm
from vendors.models import VendorAccount
from vendors.selectors import (
    CALL_SORTING,
    VENDOR_ACCOUNT_SORTING,
    vendor_account_list,
    vendor_call_operations,
    vendor_calls_for_account,
    vendor_capability_rows,
)
from vendors.services import (
    vendor_account_receiving_rotate,
    vendor_account_receiving_url,
    vendor_account_save,
    vendor_account_test_connection,
    vendor_adapter_class,
)

CALLS_PER_PAGE = 50


@permission_required_or_403("vendors.view_vendoraccount")
def account_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(request, vendor_account_list(), sorting=VENDOR_ACCOUNT_SORTING)
    return render(request, "vendors/account_list.html", {"page": page})


def _adapter_or_none(kind: str):
    try:
        return vendor_adapter_class(kind) if kind else None
    except ApplicationError:
        return None


@permission_required_or_403("vendors.add_vendoraccount")
def account_create(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    kind = (data or request.GET).get("kind", "")
    adapter = _adapter_or_none(kind)
    if data is not None and "choose_kind" in data:
        # Without JavaScript the vendor is chosen by posting once: show its fields.
        initial = {"kind": kind, "name": data.get("name", "")}
        data = None
    else:
        initial = {"kind": kind}
    form = VendorAccountForm(data, adapter=adapter, initial=initial)
    if data is not None and adapter is not None and form.is_valid():
        try:
            account = vendor_account_save(
                account=None,
                name=form.cleaned_data["name"],
                kind=kind,
                base_url=form.cleaned_data["base_url"],
                credentials=form.credentials(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Vendor account %(name)s added.") % {"name": account.name})
            return redirect("vendors:account-detail", account_id=account.pk)
    context = {"form": form, "adapter_label": adapter.label if adapter else "", "account": None}
    if request.htmx and request.method == "GET":
        return render(request, "vendors/account_form.html#credential_fields", context)
    return render(request, "vendors/account_form.html", context)


def _saved_secret_names(account: VendorAccount) -> set[str]:
    try:
        return set(credentials_decrypt(account.credentials_encrypted))
    except CredentialsUnreadable:
        return set()


@permission_required_or_403("vendors.change_vendoraccount")
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(VendorAccount, pk=account_id)
    adapter = _adapter_or_none(account.kind)
    initial = {"name": account.name, "kind": account.kind, "base_url": account.base_url}
    initial.update({f"cred_{key}": value for key, value in (account.options or {}).items()})
    form = VendorAccountForm(
        request.POST if request.method == "POST" else None,
        adapter=adapter,
        account=account,
        saved_secrets=_saved_secret_names(account),
        initial=initial,
    )
    if request.method == "POST" and adapter is not None and form.is_valid():
        try:
            vendor_account_save(
                account=account,
                name=form.cleaned_data["name"],
                kind=account.kind,
                base_url=form.cleaned_data["base_url"],
                credentials=form.credentials(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Vendor account %(name)s saved.") % {"name": account.name})
            return redirect("vendors:account-detail", account_id=account.pk)
    context = {"form": form, "adapter_label": adapter.label if adapter else "", "account": account}
    return render(request, "vendors/account_form.html", context)


@permission_required_or_403("vendors.view_vendoraccount")
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(VendorAccount, pk=account_id)
    return render(request, "vendors/account_detail.html", _detail_context(account))


def _detail_context(account: VendorAccount, **extra) -> dict:
    try:
        adapter = vendor_adapter_class(account.kind)
        capabilities = vendor_capability_rows(kind=account.kind)
        documented_not_used = adapter.documented_not_used
        result_fields = [
            (label, field in adapter.result_fields) for field, label in RESULT_LABELS.items()
        ]
        missing_adapter = ""
    except ApplicationError as exc:
        capabilities, documented_not_used, missing_adapter = [], (), exc.message
        adapter, result_fields = None, []
    return {
        "account": account,
        "capabilities": capabilities,
        "documented_not_used": documented_not_used,
        "missing_adapter": missing_adapter,
        "result_fields": result_fields,
        "results_pushed": bool(adapter and adapter.results_pushed),
        "window_means": adapter.window_means if adapter else None,
        "receiving_url": vendor_account_receiving_url(account=account),
        "recent_calls": vendor_calls_for_account(account=account)[:5],
        **extra,
    }


@permission_required_or_403("vendors.change_vendoraccount")
@require_POST
def account_receiving(request: HttpRequest, account_id: int) -> HttpResponse:
    """Make the receiving endpoint, or a new secret for it: the page shows the secret this
    once (never stored in a message or the session)."""
    account = get_object_or_404(VendorAccount, pk=account_id)
    secret = vendor_account_receiving_rotate(account=account)
    return render(
        request, "vendors/account_detail.html", _detail_context(account, new_secret=secret)
    )


@permission_required_or_403("vendors.change_vendoraccount")
@require_POST
def account_test(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(VendorAccount, pk=account_id)
    result = vendor_account_test_connection(account=account)
    if request.htmx:
        return render(request, "vendors/account_detail.html#health", {"account": account})
    (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("vendors:account-detail", account_id=account.pk)


@permission_required_or_403("vendors.view_vendoraccount", "vendors.view_vendorcall")
def account_calls(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(VendorAccount, pk=account_id)
    filters = CallLogFilterForm(request.GET, operations=vendor_call_operations(account=account))
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    calls = vendor_calls_for_account(
        account=account,
        operation=cleaned.get("operation", ""),
        outcome=cleaned.get("outcome", ""),
    )
    page = keyset_page(request, calls, sorting=CALL_SORTING, size=CALLS_PER_PAGE)
    context = {"account": account, "filters": filters, "page": page}
    if request.htmx:
        return render(request, "vendors/call_log.html#calls", context)
    return render(request, "vendors/call_log.html", context)
