"""A campaign's leads: each lead's sync state on the campaign's dialer, its latest
outcome, a form to record one, and (Webitel) a button to stop dialling it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, permission_required_or_403
from campaigns import selectors, services
from campaigns.forms import LeadDispositionForm
from campaigns.models import Campaign
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_links
from vendors.adapters.types import Capability

TEMPLATE = "campaigns/campaign_leads.html"


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_visible_or_404(
        selectors.campaign_queryset(user=request.user).select_related("disposition_list"),
        request.user,
        pk=pk,
    )


def _terminate_support(campaign: Campaign) -> tuple[bool, str]:
    if campaign.vendor_account is None:
        return False, gettext("The campaign has no vendor account.")
    return selectors.vendor_remote_support(campaign.vendor_account.kind, Capability.LEAD_TERMINATE)


def _page_url(campaign: Campaign, state: str, after: int = 0, before: int = 0, sort="") -> str:
    url = reverse("campaigns:leads", args=[campaign.pk])
    parts = (
        f"state={state}" if state else "",
        f"sort={sort}" if sort else "",
        f"after={after}" if after else "",
        f"before={before}" if before else "",
    )
    query = "&".join(part for part in parts if part)
    return f"{url}?{query}" if query else url


def _row_context(request: HttpRequest, campaign: Campaign) -> dict:
    """What every row needs, whether the whole page or one row is rendered."""
    supported, reason = _terminate_support(campaign)
    return {
        "campaign": campaign,
        "codes": list(campaign.disposition_list.codes.all())
        if campaign.disposition_list_id
        else [],
        "can_record": request.user.has_perm("campaigns.add_leaddisposition"),
        "can_terminate": request.user.has_perm("sync.change_syncjob"),
        "terminate_supported": supported,
        "terminate_reason": reason,
        "bulk": _bulk_bar(request, campaign, request.GET.get("state", "")),
    }


def _bulk_bar(request: HttpRequest, campaign: Campaign, state: str) -> dict:
    from leads.views_bulk import lead_bulk_bar

    url = reverse("campaigns:leads-bulk", args=[campaign.pk])
    return lead_bulk_bar(request, url=url, filters={"state": state})


def _page_context(request: HttpRequest, campaign: Campaign, query) -> dict:
    state = query.get("state", "")
    sorting = selectors.CAMPAIGN_LEAD_SORTING
    sort = query.get("sort", "") or sorting.default
    errors = []
    try:
        after = selectors.lead_page_after(query.get("after", ""))
        before = selectors.lead_page_after(query.get("before", ""), "before")
        page = selectors.campaign_leads_page(
            campaign=campaign, user=request.user, state=state, after=after, before=before, sort=sort
        )
    except ApplicationError as error:
        errors.append(error.message)
        state, after, before, sort = "", 0, 0, sorting.default
        query = QueryDict()
        page = selectors.campaign_leads_page(campaign=campaign, user=request.user)
    kept_sort = "" if sort == sorting.default else sort
    return {
        "pager": keyset_links(
            query,
            path=reverse("campaigns:leads", args=[campaign.pk]),
            sorting=sorting,
            sort=sort,
            next_cursor=page.next_after,
            prev_cursor=page.prev_before,
        ),
        **_row_context(request, campaign),
        "page": page,
        "state": state,
        "after": after,
        "filters": selectors.campaign_lead_filters(),
        "page_size": selectors.LEADS_PAGE_SIZE,
        "filter_errors": errors,
        "bulk": _bulk_bar(request, campaign, state),
        "this_url": _page_url(campaign, state, after, before, kept_sort),
    }


@permission_required_or_403("campaigns.view_campaign", "leads.view_lead")
def campaign_leads(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    context = _page_context(request, campaign, request.GET)
    template = TEMPLATE
    if request.htmx and request.htmx.target == "lead-results":
        template += "#results"
    return render(request, template, context)


def _back_to(request: HttpRequest, campaign: Campaign) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return reverse("campaigns:leads", args=[campaign.pk])


@permission_required_or_403("campaigns.view_campaign", "campaigns.add_leaddisposition")
@require_POST
def campaign_lead_disposition(request: HttpRequest, pk: int, lead_pk: int) -> HttpResponse:
    """Record an outcome. HTMX gets the lead's row back (with the error at the form, the
    typed values kept); without JavaScript a success goes back to the page it came from
    and a refusal shows that page again with the error, nothing lost."""
    campaign = _campaign(request, pk)
    lead = selectors.lead_in_campaign_or_404(campaign=campaign, lead_id=lead_pk, user=request.user)
    form = LeadDispositionForm(request.POST, campaign=campaign)
    error = ""
    if form.is_valid():
        try:
            disposition = services.campaign_lead_disposition_record(
                campaign=campaign, lead=lead, acting_user=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            error = exc.message
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    done = (
        ""
        if error
        else gettext("%(code)s – %(label)s recorded for %(phone)s.")
        % {"code": disposition.code, "label": disposition.label, "phone": lead.phone}
    )
    if done and getattr(disposition, "callback_note", ""):
        done = f"{done} {disposition.callback_note}"
    row_state = {"error_lead_id": lead.pk, "error": error, "posted": request.POST, "flash": done}
    if request.htmx:
        row = selectors.campaign_lead_row(campaign=campaign, lead=lead)
        context = {**_row_context(request, campaign), "row": row, **row_state}
        context["this_url"] = _back_to(request, campaign)
        # 200 even when refused: HTMX swaps only 2xx answers, and the row carries the error.
        return render(request, f"{TEMPLATE}#lead-row", context)
    back = _back_to(request, campaign)
    if not error:
        messages.success(request, done)
        return redirect(back)
    query = QueryDict(back.split("?", 1)[1] if "?" in back else "")
    context = {**_page_context(request, campaign, query), **row_state}
    return render(request, TEMPLATE, context, status=422)
