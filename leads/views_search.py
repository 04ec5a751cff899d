"""Find any lead (the search box of every page, and /leads/search/) and a lead's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from leads import selectors_lead, selectors_search
from leads.models import Lead
from leads.selectors_bulk import lead_selection_for_list
from leads.services.bulk_actions import DELETE, leads_bulk_act

SEARCH_TEMPLATE = "leads/search.html"


def _search_url(text: str, **cursor: int) -> str:
    query = {"q": text, **{name: value for name, value in cursor.items() if value}}
    return f"{reverse('leads:search')}?{urlencode(query)}"


@permission_required_or_403("leads.view_lead")
def lead_search(request: HttpRequest) -> HttpResponse:
    """Without a search text: the empty form. With one: a page of matches, or why the text
    cannot be searched (the form kept; 200, so that HTMX swaps the message in)."""
    text = request.GET.get("q", "")
    context = {"q": text, "page": None, "error": "", "size": selectors_search.SEARCH_PAGE_SIZE}
    if "q" in request.GET:
        try:
            after = selectors_search.lead_search_cursor(request.GET.get("after", ""), "after")
            before = selectors_search.lead_search_cursor(request.GET.get("before", ""), "before")
            page = selectors_search.lead_search_page(
                text=text, user=request.user, after=after, before=before
            )
        except ApplicationError as error:
            context["error"] = error.message
        else:
            context.update(
                page=page,
                kind=selectors_search.KIND_LABELS[page.search.kind],
                first_url=_search_url(text),
                next_url=_search_url(text, after=page.next_after) if page.next_after else "",
                prev_url=_search_url(text, before=page.prev_before) if page.prev_before else "",
            )
    template = SEARCH_TEMPLATE
    if request.htmx and request.htmx.target == "search-results":
        template += "#results"
    return render(request, template, context)


@permission_required_or_403("leads.view_lead")
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors_lead.lead_get(user=request.user, pk=pk)
    detail = selectors_lead.lead_detail(lead=lead, user=request.user)
    context = {
        "detail": detail,
        "lead": lead,
        "this_url": reverse("leads:lead", args=[lead.pk]),
        "can_record": request.user.has_perm("campaigns.add_leaddisposition"),
        "can_terminate": request.user.has_perms(("sync.change_syncjob", "campaigns.view_campaign")),
        "can_list_dnc": selectors_lead.lead_may_list_dnc(lead=lead, user=request.user),
        "can_remove": selectors_lead.lead_may_remove(lead=lead, user=request.user),
        "back": _back_to_search(request),
    }
    return render(request, "leads/lead_detail.html", context)


@permission_required_or_403("leads.view_lead", "leads.delete_lead")
def lead_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one lead from its list: the bulk delete with its one id, so the same rules
    hold (a lead a dialer holds stays as Removed until its campaign's sync job has taken
    it off; any other is deleted). Asks first."""
    lead = selectors_lead.lead_get(user=request.user, pk=pk)
    lead_url = reverse("leads:lead", args=[lead.pk])
    if request.method != "POST":
        effect = selectors_lead.lead_remove_effect(lead=lead)
        context = {"lead": lead, "lead_url": lead_url, "effect": effect}
        return render(request, "leads/lead_remove.html", context)
    selection = lead_selection_for_list(user=request.user, lead_list=lead.lead_list, ids=[lead.pk])
    try:
        result = leads_bulk_act(leads=selection.leads, action=DELETE, acting_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(lead_url)
    if result.done and not Lead.objects.filter(pk=lead.pk).exists():
        messages.success(
            request,
            _("The lead %(phone)s was deleted from “%(lead_list)s”.")
            % {"phone": lead.phone, "lead_list": lead.lead_list},
        )
        return redirect("leads:detail", pk=lead.lead_list_id)
    if result.done:
        messages.success(
            request,
            _("The lead %(phone)s is removed; its campaign's sync job takes it off the dialer.")
            % {"phone": lead.phone},
        )
    else:
        messages.error(request, _("Nothing was done: %(summary)s") % {"summary": result.summary})
    return redirect(lead_url)


def _back_to_search(request: HttpRequest) -> str:
    text = request.GET.get("q", "")
    return _search_url(text) if text and len(text) <= selectors_search.SEARCH_MAX_LENGTH else ""
