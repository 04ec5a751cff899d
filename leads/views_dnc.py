"""The do-not-call list pages: search and filter the entries (keyset pages), add numbers
in bulk with a line-by-line report, edit an entry's reason and expiry, remove an entry
(HTMX swaps its row; without JavaScript a confirmation page posts the removal)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_page
from leads import selectors, services
from leads.forms import DncAddForm, DncEntryForm, DncFilterForm
from leads.models import DncEntry, DncScope
from leads.selectors_bulk import bulk_ids_read

LIST_TEMPLATE = "leads/dnc_list.html"
INVALID_LINES_SHOWN = 1000


def _filters(request: HttpRequest) -> dict:
    data = request.GET.copy() if request.GET else None  # unbound: the country's initial
    if data is not None and not data.get("country"):
        data["country"] = "US"  # a sort or page link alone still reads numbers as before
    form = DncFilterForm(data)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "form": form,
        "phone": values.get("phone", ""),
        "country": values.get("country") or "US",
        "scope": values.get("scope", ""),
        "state": values.get("state", ""),
    }


def _list_context(request: HttpRequest) -> dict:
    filters = _filters(request)
    errors = []
    now = timezone.now()
    try:
        entries = selectors.dnc_entries_filtered(
            user=request.user,
            now=now,
            **{key: filters[key] for key in ("phone", "country", "scope", "state")},
        )
    except ApplicationError as error:
        errors.append(error.message)
        entries = DncEntry.objects.none()
    page = keyset_page(
        request,
        entries,
        sorting=selectors.DNC_SORTING,
        path=reverse("dnc:list"),
        rows=lambda found: selectors.dnc_rows(entries=found, user=request.user, now=now),
    )
    return {
        "filters": filters["form"],
        "filter_errors": errors,
        "page": page,
        "this_url": request.get_full_path(),
        "filtered": any(filters[key] for key in ("phone", "scope", "state")),
        # The download keeps the scope and state filters (not the phone search).
        "export_filters": {key: filters[key] for key in ("scope", "state") if filters[key]},
        "export_label": (
            gettext("Download these entries")
            if filters["scope"] or filters["state"]
            else gettext("Download the list")
        ),
    }


@permission_required_or_403("leads.view_dncentry")
def dnc_index(request: HttpRequest) -> HttpResponse:
    template = LIST_TEMPLATE
    if request.htmx and request.htmx.target == "dnc-results":
        template += "#dnc-results"
    return render(request, template, _list_context(request))


def _add_form(
    request: HttpRequest, data=None, initial=None, form_class=DncAddForm, files=None
) -> DncAddForm:
    campaigns = selectors.campaign_choices(user=request.user) if request.user.is_supervisor else []
    return form_class(
        data,
        files,
        initial=initial,
        user=request.user,
        campaigns=campaigns,
        lead_lists=selectors.dnc_lead_lists_manageable(user=request.user),
    )


def _target(data: dict) -> services.DncTarget:
    scope = data["scope"]
    return services.DncTarget(
        scope=scope,
        campaign_id=data.get("campaign") if scope == DncScope.CAMPAIGN else None,
        lead_list=data.get("lead_list") if scope == DncScope.LIST else None,
    )


@permission_required_or_403("leads.view_dncentry", "leads.add_dncentry")
def dnc_add(request: HttpRequest) -> HttpResponse:
    """Add numbers. The answer is this page again with the report: counts, each invalid
    line and why, and the invalid lines left in the box to correct and add again."""
    lead_list_id = _int(request, "list")  # from a lead list's page: that list's scope
    initial = {"lead_list": lead_list_id, "scope": DncScope.LIST} if lead_list_id else None
    form = _add_form(request, request.POST or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.dnc_entries_add(
                numbers=services.dnc_numbers_split(data["numbers"]),
                country=data["country"],
                target=_target(data),
                reason=data["reason"],
                expires_at=data["expires_at"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            field = error.extra.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        else:
            left = "\n".join(number.text for number in result.invalid)
            form = _add_form(request, initial={**data, "numbers": left})
    context = {
        "form": form,
        "result": result,
        "invalid_shown": result.invalid[:INVALID_LINES_SHOWN] if result else [],
        "target_name": _target_name(result, form),
    }
    template = "leads/dnc_add.html"
    if request.htmx:
        template += "#add-panel"
    return render(request, template, context)


def _target_name(result, form) -> str:
    if result is None:
        return ""
    data = form.initial
    if data["scope"] == DncScope.LIST:
        return gettext("the lead list “%(name)s”") % {"name": data["lead_list"]}
    if data["scope"] == DncScope.CAMPAIGN:
        campaign_id = data.get("campaign")
        names = selectors.campaign_names(campaign_ids=[campaign_id])
        return gettext("the campaign “%(name)s”") % {"name": names.get(campaign_id, campaign_id)}
    return gettext("everywhere")


def _int(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@permission_required_or_403("leads.view_dncentry", "leads.change_dncentry")
def dnc_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.dnc_entry_get(user=request.user, pk=pk)
    initial = {"reason": entry.reason, "expires_at": entry.expires_at}
    form = DncEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dnc_entry_update(entry=entry, data=form.cleaned_data, acting_user=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, gettext("The listing of %(phone)s was saved.") % {"phone": entry.phone}
            )
            return redirect(_back_to(request))
    row = selectors.dnc_row(entry=entry, user=request.user, now=timezone.now())
    context = {"form": form, "row": row, "next": _back_to(request)}
    return render(request, "leads/dnc_edit.html", context)


def _back_to(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return reverse("dnc:list")


@permission_required_or_403("leads.view_dncentry", "leads.delete_dncentry")
def dnc_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page (the way without JavaScript). POST: remove; HTMX gets
    the entry's row back, saying it was removed (or why not)."""
    entry = selectors.dnc_entry_get(user=request.user, pk=pk)
    row = selectors.dnc_row(entry=entry, user=request.user, now=timezone.now())
    if request.method != "POST":
        context = {"row": row, "next": _back_to(request)}
        return render(request, "leads/dnc_confirm_delete.html", context)
    error = ""
    try:
        services.dnc_entry_delete(entry=entry, acting_user=request.user)
    except ApplicationError as exc:
        error = exc.message
    entry.pk = pk  # deleting cleared it; the row that says "removed" keeps its id
    if request.htmx:
        # 200 even when refused: HTMX swaps only 2xx answers, and the row carries the error.
        context = {"row": row, "removed": not error, "row_error": error}
        return render(request, f"{LIST_TEMPLATE}#dnc-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _removed_message(row))
    return redirect(_back_to(request))


def _removed_message(row) -> str:
    if row.target_name:
        return gettext("%(phone)s is no longer on the do-not-call list for %(target)s.") % {
            "phone": row.entry.phone,
            "target": row.target_name,
        }
    return gettext("%(phone)s is no longer on the do-not-call list everywhere.") % {
        "phone": row.entry.phone
    }


@permission_required_or_403("leads.view_dncentry", "leads.delete_dncentry")
@require_POST
def dnc_bulk_remove(request: HttpRequest) -> HttpResponse:
    """Remove the ticked entries: first a confirmation that counts them and names each
    one that will be skipped, then (``confirmed``) one service call."""
    back = _back_to(request)
    try:
        ids = bulk_ids_read(request.POST.getlist("ids"))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    if not request.POST.get("confirmed"):
        now = timezone.now()
        entries = list(selectors.dnc_entries_visible(user=request.user).filter(pk__in=ids))
        names = selectors.campaign_names(
            campaign_ids=[entry.campaign_id for entry in entries if entry.campaign_id]
        )
        rows = [
            selectors.dnc_row(entry=entry, user=request.user, now=now, names=names)
            for entry in entries
        ]
        context = {
            "rows": rows,
            "removable": sum(1 for row in rows if row.can_manage),
            "not_found": len(ids) - len(rows),
            "next": back,
        }
        return render(request, "leads/dnc_bulk_confirm.html", context)
    result = services.dnc_entries_bulk_delete(entry_ids=ids, acting_user=request.user)
    text = ngettext(
        "%(count)s number removed from the do-not-call list",
        "%(count)s numbers removed from the do-not-call list",
        result.removed,
    ) % {"count": result.removed}
    if result.skipped:
        text += gettext("; %(count)s skipped (%(reasons)s)") % {
            "count": len(result.skipped),
            "reasons": "; ".join(str(reason) for _, reason in result.skipped),
        }
    messages.success(request, text + gettext(". Leads already marked do-not-call stay so."))
    return redirect(back)
