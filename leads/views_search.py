"""Find any lead (the search box of every page, and /leads/search/) and a lead's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from leads import selectors_lead, selectors_search

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
        "back": _back_to_search(request),
    }
    return render(request, "leads/lead_detail.html", context)


def _back_to_search(request: HttpRequest) -> str:
    text = request.GET.get("q", "")
    return _search_url(text) if text and len(text) <= selectors_search.SEARCH_MAX_LENGTH else ""
