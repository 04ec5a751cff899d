"""Recycling by hand: pick outcomes, preview how many leads have them, send them again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import ngettext

from accounts.access import get_visible_or_404, permission_required_or_403
from campaigns.selectors import campaign_queryset
from dialer_console.errors import ApplicationError
from results.recycling import by_hand
from results.recycling.forms import RecycleByHandForm

TEMPLATE = "results/campaign_recycle.html"


@permission_required_or_403("campaigns.view_campaign", "leads.change_lead")
def campaign_recycle(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)
    targets = by_hand.recycle_targets(source=campaign, user=request.user)
    form = RecycleByHandForm(request.POST or None, source=campaign, targets=targets)
    context = {"campaign": campaign, "form": form, "preview": None}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=422)
    values = form.cleaned_data
    target = values["target_campaign"]
    try:
        choice = by_hand.recycle_choice(
            source=campaign, target_id=target.pk if target else None, user=request.user,
            dialer_outcomes=values["dialer_outcomes"],
            disposition_codes=values["disposition_codes"],
        )  # fmt: skip
    except ApplicationError as error:
        form.add_error(None, error.message)
        return render(request, TEMPLATE, context, status=422)
    if "_preview" in request.POST:
        context["preview"] = {
            "count": by_hand.recycle_preview(choice=choice, user=request.user),
            "target": choice.target,
        }
        if request.htmx:
            return render(request, f"{TEMPLATE}#preview", context)
        return render(request, TEMPLATE, context)
    moved = by_hand.recycle_by_hand(choice=choice, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s lead sent again to “%(campaign)s”.",
            "%(count)s leads sent again to “%(campaign)s”.",
            moved,
        )
        % {"count": number_format(moved, force_grouping=True), "campaign": choice.target.name},
    )
    return redirect("campaigns:detail", choice.target.pk)
