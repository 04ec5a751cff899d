"""Campaign pages: list, create/edit (with the vendor's fieldset swapped in by HTMX and
each field validated inline), detail with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import get_visible_or_404, permission_required_or_403, team_visible
from campaigns import selectors, services
from campaigns.derived_fields import campaign_vendor_display
from campaigns.forms import CampaignEditor
from campaigns.models import Campaign, CampaignStatus
from campaigns.readiness import campaign_dial_readiness, campaigns_dial_readiness
from campaigns.views.vendor_tools import TOOL_BUTTONS, campaign_form_tools
from dialer_console.errors import ApplicationError, ConfirmationRequired
from dialer_console.keyset import keyset_page, sort_choices
from results.recycling.selectors import callbacks_summary
from results.result_code_map import result_codes_readable
from sync.selectors import campaign_panel, campaign_sync_summaries
from sync.start_preview import DAYS_WORDS, campaign_start_preview
from vendors.adapters.field_map import CAMPAIGN_FIELD_LABELS as DERIVED_SOURCES
from vendors.models import VendorKind

PAGE_SIZE = 25
FORM_TEMPLATE = "campaigns/campaign_form.html"
SLOT_TEMPLATE = "campaigns/includes/slot.html"
# Buttons that re-render the form without saving (the no-JavaScript path).
REFRESH_BUTTONS = ("_refresh", "_more_rows", *TOOL_BUTTONS)
# Statuses whose campaign is meant to be dialling: warned when it has nothing to dial.
RUNNING = (CampaignStatus.ACTIVE, CampaignStatus.PAUSED)


@permission_required_or_403("campaigns.view_campaign")
def campaign_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "vendor": request.GET.get("vendor", ""),
    }
    campaigns = selectors.campaign_list(user=request.user, **filters)
    page = keyset_page(request, campaigns, sorting=selectors.CAMPAIGN_SORTING, size=PAGE_SIZE)
    filtered = bool(filters["search"] or filters["status"] or filters["vendor"])
    archived = 0
    if not filtered and not page.rows:
        archived = selectors.campaign_list(user=request.user, status="archived").count()
    context = {
        "page": page,
        "filters": filters,
        "filtered": filtered,
        "archived_count": archived,
        "status_any": selectors.STATUS_ANY,
        "statuses": CampaignStatus.choices,
        "vendors": VendorKind.choices,
        "sorts": sort_choices(selectors.CAMPAIGN_SORTING),
        "not_synced": selectors.NOT_SYNCED_YET,
        "sync_summaries": _sync_summaries(request, page.rows),
        "nothing_to_dial": _nothing_to_dial(page.rows),
    }
    template = "campaigns/campaign_list.html"
    if request.htmx and request.htmx.target == "campaign-results":
        template += "#results"
    return render(request, template, context)


def _nothing_to_dial(campaigns) -> set[int]:
    """The listed running campaigns that have nothing to dial (one query for the page):
    beside "In sync · 0 pending" they are flagged, not read as done."""
    running = [campaign.pk for campaign in campaigns if campaign.status in RUNNING]
    if not running:
        return set()
    readiness = campaigns_dial_readiness(campaign_ids=running)
    return {pk for pk, state in readiness.items() if state.problem}


def _sync_summaries(request: HttpRequest, campaigns) -> dict:
    """Each listed campaign's sync badge and pending count, in one query for the page."""
    if not request.user.has_perm("sync.view_syncjob"):
        return {}
    return campaign_sync_summaries(campaign_ids=[campaign.pk for campaign in campaigns])


def _form_context(editor: CampaignEditor, *, show_errors: bool) -> dict:
    campaign = editor.campaign
    if campaign is None:
        urls = {
            "validate_url": reverse("campaigns:validate-field"),
            "fieldset_url": reverse("campaigns:vendor-fieldset"),
        }
    else:
        urls = {
            "validate_url": reverse("campaigns:validate-field", args=[campaign.pk]),
            "fieldset_url": reverse("campaigns:vendor-fieldset", args=[campaign.pk]),
        }
    return {
        "editor": editor,
        "campaign": campaign,
        "campaign_slots": editor.campaign_slots(show_errors=show_errors),
        "vendor_slots": editor.vendor_slots(show_errors=show_errors),
        "non_field_errors": [
            error for form in editor.forms() if show_errors for error in form.non_field_errors()
        ],
        "error_summary": editor.error_summary() if show_errors else [],
        **urls,
    }


def _save(request: HttpRequest, editor: CampaignEditor) -> Campaign:
    form = editor.campaign_form
    arguments = {
        "fields": form.campaign_fields(),
        "vendor_settings": editor.vendor_settings(),
        "agents": list(form.cleaned_data["agents"]),
        "lead_lists": form.lead_list_links(),
        "acting_user": request.user,
    }
    with transaction.atomic():
        if editor.campaign is None:
            saved = services.campaign_create(**arguments)
        else:
            saved = services.campaign_update(campaign=editor.campaign, **arguments)
        form.save_recycle_rules(saved)
    return saved


def _campaign_form_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    if request.method != "POST":
        editor = CampaignEditor(campaign=campaign)
        return render(request, FORM_TEMPLATE, _form_context(editor, show_errors=False))
    editor = CampaignEditor(campaign=campaign, data=request.POST)
    if any(button in request.POST for button in REFRESH_BUTTONS):
        tools = campaign_form_tools(request, editor)  # before the context hides the errors
        return render(request, FORM_TEMPLATE, {**_form_context(editor, show_errors=False), **tools})
    if editor.is_valid():
        try:
            saved = _save(request, editor)
        except ApplicationError as error:
            field = error.extra.get("field")
            target = field if field in editor.campaign_form.fields else None
            editor.campaign_form.add_error(target, error.message)
        else:
            messages.success(request, _("Campaign “%(name)s” saved.") % {"name": saved.name})
            return redirect("campaigns:detail", pk=saved.pk)
    return render(request, FORM_TEMPLATE, _form_context(editor, show_errors=True), status=422)


@permission_required_or_403("campaigns.add_campaign")
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _campaign_form_page(request, None)


@permission_required_or_403("campaigns.change_campaign")
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(Campaign.objects.all(), request.user, "team", pk=pk)
    if campaign.status == CampaignStatus.ARCHIVED:
        messages.error(request, _("An archived campaign cannot be changed. Clone it instead."))
        return redirect("campaigns:detail", pk=pk)
    return _campaign_form_page(request, campaign)


def _editing(request: HttpRequest, pk: int | None) -> Campaign | None:
    if pk is None:
        return None
    return get_visible_or_404(Campaign.objects.all(), request.user, "team", pk=pk)


@permission_required_or_403("campaigns.change_campaign")
@require_POST
def campaign_validate_field(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Validate the whole posted form (the same rules as a submit) and answer with the
    feedback of the one field named in ``_field`` (its messages and whether it is
    invalid), never the field itself: the input the user is in is never replaced, so a
    click or keystroke made while the answer travels is kept."""
    editor = CampaignEditor(campaign=_editing(request, pk), data=request.POST)
    editor.is_valid()
    slot = editor.slot(request.POST.get("_field", ""))
    if slot is None:
        return HttpResponseBadRequest(_("Unknown field."))
    context = {**_form_context(editor, show_errors=True), "slot": slot}
    response = render(request, f"{SLOT_TEMPLATE}#feedback", context)
    if editor.derived is not None and slot.bound.name in DERIVED_SOURCES:
        # The vendor fieldset shows this value in its derived fields: they reload themselves.
        response["HX-Trigger"] = "campaign-source-changed"
    return response


@permission_required_or_403("campaigns.change_campaign")
@require_POST
def campaign_vendor_fieldset(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The chosen vendor account's fieldset, swapped in when the account changes: it
    starts from the vendor's defaults (or the campaign's saved settings). Posted with
    another ``_trigger`` it keeps what was typed; the page itself shows and hides a
    controller's dependent fields in the browser, without this round trip."""
    campaign = _editing(request, pk)
    editor = CampaignEditor(campaign=campaign, data=request.POST)
    if request.POST.get("_trigger") == "vendor_account" and editor.account is not None:
        same = campaign is not None and campaign.vendor_account_id == editor.account.pk
        editor.vendor_form = editor.new_vendor_form(
            stored=campaign.vendor_settings if same else None
        )
    return render(
        request, f"{FORM_TEMPLATE}#vendor-fieldset", _form_context(editor, show_errors=False)
    )


@permission_required_or_403("campaigns.view_campaign")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(
        selectors.campaign_queryset(user=request.user).prefetch_related(
            "agents", "list_links__lead_list"
        ),
        request.user,
        pk=pk,
    )
    vendor_values, replaced_notes = campaign_vendor_display(campaign=campaign)
    # Another team's list linked to this campaign is not named to a team lead.
    links = list(campaign.list_links.all())
    visible_links = [link for link in links if team_visible(request.user, link.lead_list.team_id)]
    context = {
        "campaign": campaign,
        "visible_links": visible_links,
        "hidden_links": len(links) - len(visible_links),
        "vendor_values": vendor_values,
        "replaced_notes": replaced_notes,
        "actions": selectors.campaign_actions(campaign=campaign, user=request.user),
        "read_only": not request.user.has_perm("campaigns.change_campaign"),
        "maps_result_codes": result_codes_readable(campaign.vendor_account),
        "start_stop_note": selectors.start_stop_note(campaign=campaign),
        "callbacks": callbacks_summary(campaign=campaign, user=request.user),
        # Said beside "In sync · 0 pending", which alone reads as "all is well" (a draft's
        # Start button gives the same reason already).
        "dial_problem": campaign_dial_readiness(campaign=campaign).problem
        if campaign.status in RUNNING
        else "",
        # The sync panel is rendered into the first paint; it polls by itself from there.
        "panel": campaign_panel(campaign=campaign)
        if request.user.has_perm("sync.view_syncjob")
        else None,
    }
    return render(request, "campaigns/campaign_detail.html", context)


def _action_confirmation(
    request: HttpRequest,
    campaign: Campaign,
    action: selectors.CampaignAction,
    refusal: ConfirmationRequired | None = None,
) -> HttpResponse:
    """The step before Stop and Archive, and before a Start with no lead callable within
    24 hours (``refusal``, with the start preview): what happens, and a button that posts
    again with ``confirmed``. Rendered as a fragment into the campaign page for HTMX, as a
    page of its own otherwise."""
    context = {
        "campaign": campaign,
        "action": action,
        "state": selectors.campaign_action_state(campaign=campaign, action=action),
        "consequences": [refusal.message]
        if refusal
        else selectors.action_consequences(campaign=campaign, action=action),
        "preview": campaign_start_preview(campaign=campaign, user=request.user)
        if refusal
        else None,
        "days_words": DAYS_WORDS,
    }
    template = "campaigns/campaign_confirm.html"
    return render(request, f"{template}#confirm" if request.htmx else template, context)


@permission_required_or_403("campaigns.change_campaign")
@require_http_methods(["GET", "POST"])
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = get_visible_or_404(
        Campaign.objects.select_related("vendor_account"), request.user, "team", pk=pk
    )
    chosen = selectors.ACTIONS_BY_NAME.get(action)
    if chosen is None:
        return HttpResponseBadRequest(_("Unknown action."))
    if not request.user.has_perm(chosen.permission):
        messages.error(request, _("You may not do that."))
        return redirect("campaigns:detail", pk=pk)
    confirmed = request.method == "POST" and bool(request.POST.get("confirmed"))
    if chosen.confirm and not confirmed:
        return _action_confirmation(request, campaign, chosen)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if chosen.to_status is None:
            clone = services.campaign_clone(campaign=campaign, acting_user=request.user)
            messages.success(
                request,
                _("Cloned as “%(name)s”, a draft: review it and save.") % {"name": clone.name},
            )
            return redirect("campaigns:edit", pk=clone.pk)
        services.campaign_transition(
            campaign=campaign,
            to_status=chosen.to_status,
            acting_user=request.user,
            ask_if_nothing_soon=not confirmed,
        )
    except ConfirmationRequired as refusal:
        return _action_confirmation(request, campaign, chosen, refusal)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(label)s: done. The campaign is now %(to_status)s.")
            % {"label": chosen.label, "to_status": chosen.to_status},
        )
    if request.htmx:  # the Start button posts by HTMX, to show its confirmation in place
        return HttpResponseClientRedirect(reverse("campaigns:detail", args=[pk]))
    return redirect("campaigns:detail", pk=pk)
