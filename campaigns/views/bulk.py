"""Pause, stop or archive several campaigns from the campaign list. The first post shows,
for each ticked campaign, what happens on its dialer (or why it will be skipped); the
second, with ``confirmed``, does it through one service call."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.access import permission_required_or_403
from campaigns import selectors, services
from dialer_console.errors import ApplicationError
from leads.selectors_bulk import bulk_ids_read


def _back(request: HttpRequest) -> str:
    query = request.POST.get("query", "")
    back = f"/campaigns/?{query}" if query else "/campaigns/"
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts=None) else "/campaigns/"


def _preview(request: HttpRequest, ids: list[int], action) -> list[dict]:
    """Each ticked campaign the user may see, with its consequences or its refusal."""
    # A paused campaign is stopped on the dialer as a stopped one is (the dialers have one
    # stop call: ``sync.services.campaign_jobs.campaign_apply_status``), and Start resumes
    # both, so Pause is explained as Stop is.
    explained = selectors.ACTIONS_BY_NAME["stop"] if action.name == "pause" else action
    campaigns = selectors.campaign_queryset(user=request.user).filter(pk__in=ids).order_by("name")
    rows = []
    for campaign in campaigns:
        chosen = selectors.action_for_status(campaign, action.to_status)
        state = (
            selectors.campaign_action_state(campaign=campaign, action=chosen) if chosen else None
        )
        if chosen is None:
            reason = gettext("A campaign that is %(status)s cannot become %(to_status)s.") % {
                "status": campaign.get_status_display().lower(),
                "to_status": action.to_status,
            }
        else:
            reason = "" if state.allowed else state.reason
        rows.append(
            {
                "campaign": campaign,
                "skip_reason": reason,
                "consequences": []
                if reason
                else selectors.action_consequences(campaign=campaign, action=explained),
            }
        )
    return rows


@permission_required_or_403("campaigns.view_campaign", "campaigns.change_campaign")
@require_POST
def campaigns_bulk(request: HttpRequest) -> HttpResponse:
    back = _back(request)
    try:
        action = services.bulk_campaign_action(request.POST.get("action", ""))
        ids = bulk_ids_read(request.POST.getlist("ids"))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    if not request.POST.get("confirmed"):
        rows = _preview(request, ids, action)
        context = {
            "action": action,
            "rows": rows,
            "acting": sum(1 for row in rows if not row["skip_reason"]),
            "not_found": len(ids) - len(rows),
            "ids": ids,
            "query": request.POST.get("query", ""),
            "back_url": back,
        }
        return render(request, "campaigns/campaign_bulk_confirm.html", context)
    try:
        result = services.campaigns_bulk_transition(
            campaign_ids=ids, action=action.name, acting_user=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    done = len(result.done)
    text = f"{action.label}: {done} campaign{'s' if done != 1 else ''} done"
    if result.skipped:
        reasons = "; ".join(f"{name or f'#{pk}'}: {reason}" for pk, name, reason in result.skipped)
        text += f", {len(result.skipped)} skipped ({reasons})"
    messages.success(request, text + ".")
    return redirect(back)
