"""List and edit pages for what campaigns are built from: agents, disposition lists,
pause-code lists and calling windows. Codes and calling-window rows are repeatable rows
in the same form, so each page posts without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, permission_required_or_403
from campaigns import selectors, services
from campaigns.forms import AgentForm, CallingWindowForm, DispositionListForm, PauseCodeListForm
from campaigns.models import Agent, CallingWindow, DispositionList, PauseCodeList
from campaigns.windows.preview import preview_today
from dialer_console.errors import ApplicationError
from dialer_console.keyset import Column, Sorting, keyset_page


@dataclass(frozen=True)
class Library:
    """How one kind of building block is listed, edited and deleted."""

    noun: str
    plural: str
    url_prefix: str
    perm_model: str
    form_class: type[ModelForm]
    save: Callable[..., Model]
    delete: Callable[[Model], None]
    columns: tuple[tuple[str, str], ...]  # (heading, attribute)


def _save_agent(form: AgentForm, instance: Agent | None) -> Agent:
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    return services.agent_save(agent=instance, fields=fields, remote_ids=form.remote_ids())


@transaction.atomic
def _save_disposition_list(form: DispositionListForm, instance) -> DispositionList:
    saved = services.disposition_list_save(
        disposition_list=instance,
        fields={name: form.cleaned_data[name] for name in ("name", "description")},
        codes=form.cleaned_data["codes"],
        remote_ids=form.remote_ids(),
    )
    form.save_recycle_rules(saved)
    return saved


def _save_pause_code_list(form: PauseCodeListForm, instance) -> PauseCodeList:
    return services.pause_code_list_save(
        pause_code_list=instance,
        fields={name: form.cleaned_data[name] for name in ("name", "description")},
        codes=form.cleaned_data["codes"],
        remote_ids=form.remote_ids(),
    )


def _save_calling_window(form: CallingWindowForm, instance) -> CallingWindow:
    return services.calling_window_save(
        calling_window=instance,
        fields={name: form.cleaned_data[name] for name in form.Meta.fields},
        days=form.cleaned_data["days"],
        holidays=form.cleaned_data["holidays"],
        remote_ids=form.remote_ids(),
    )


AGENTS = Library(
    _("agent"),
    _("Agents"),
    "campaigns:agent",
    "agent",
    AgentForm,
    _save_agent,
    lambda agent: services.agent_delete(agent=agent),
    (
        (_("Name"), "name"),
        (_("Email"), "email"),
        (_("Extension"), "extension"),
        (_("Team"), "team"),
    ),
)
DISPOSITION_LISTS = Library(
    _("disposition list"),
    _("Disposition lists"),
    "campaigns:disposition-list",
    "dispositionlist",
    DispositionListForm,
    _save_disposition_list,
    lambda obj: services.disposition_list_delete(disposition_list=obj),
    ((_("Name"), "name"), (_("Codes"), "row_count"), (_("Used by campaigns"), "campaign_count")),
)
PAUSE_CODE_LISTS = Library(
    _("pause-code list"),
    _("Pause-code lists"),
    "campaigns:pause-code-list",
    "pausecodelist",
    PauseCodeListForm,
    _save_pause_code_list,
    lambda obj: services.pause_code_list_delete(pause_code_list=obj),
    ((_("Name"), "name"), (_("Codes"), "row_count"), (_("Used by campaigns"), "campaign_count")),
)
CALLING_WINDOWS = Library(
    _("calling window"),
    _("Calling windows"),
    "campaigns:calling-window",
    "callingwindow",
    CallingWindowForm,
    _save_calling_window,
    lambda obj: services.calling_window_delete(calling_window=obj),
    (
        (_("Name"), "name"),
        (_("Time zone"), "get_timezone_policy_display"),
        (_("Weekdays"), "row_count"),
        (_("Used by campaigns"), "campaign_count"),
    ),
)


# Every library list is sorted by name (an index on (name, id) serves it), either way.
NAME_SORTING = Sorting(columns=(Column("name", _("Name"), "name"),), default="name")


def _cells(library: Library, objects: list) -> list:
    rows = []
    for obj in objects:
        cells = []
        for _heading, attribute in library.columns:
            value = getattr(obj, attribute, "")
            cells.append(value() if callable(value) else value)
        rows.append((obj, cells))
    return rows


def _list_page(request: HttpRequest, library: Library, objects: QuerySet) -> HttpResponse:
    page = keyset_page(
        request, objects, sorting=NAME_SORTING, rows=lambda found: _cells(library, found)
    )
    context = {
        "library": library,
        "headings": [heading for heading, _ in library.columns][1:],
        "page": page,
        "can_change": request.user.has_perm(f"campaigns.change_{library.perm_model}"),
        "new_url": reverse(f"{library.url_prefix}-new"),
    }
    return render(request, "campaigns/library_list.html", context)


def _edit_page(
    request: HttpRequest, library: Library, instance: Model | None, preview=None
) -> HttpResponse:
    """The library object's form. ``preview(form)``, when given, adds to the context what
    the form's values would do; a POST with ``_preview`` (the form's HTMX on change) only
    renders that, saving nothing."""
    form = library.form_class(data=request.POST or None, instance=instance)
    previewing = "_preview" in request.POST
    show_errors = "_more_rows" not in request.POST and not previewing
    if request.method == "POST" and show_errors and form.is_valid():
        try:
            saved = library.save(form, instance)
        except ApplicationError as error:
            field = error.extra.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                gettext("%(value)s “%(saved)s” saved.")
                % {"value": library.noun.capitalize(), "saved": saved},
            )
            return redirect(f"{library.url_prefix}-list")
    extra = preview(form) if preview else {}
    if not show_errors:
        form._errors = {}
    context = {
        "library": library,
        "form": form,
        "instance": instance,
        "list_url": reverse(f"{library.url_prefix}-list"),
        "delete_url": reverse(f"{library.url_prefix}-delete", args=[instance.pk])
        if instance
        else "",
        **extra,
    }
    if previewing and "preview_template" in context:
        return render(request, context["preview_template"], context)
    status = 422 if request.method == "POST" and show_errors else 200
    return render(request, "campaigns/library_form.html", context, status=status)


def _delete(request: HttpRequest, library: Library, instance: Model) -> HttpResponse:
    try:
        library.delete(instance)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("%(value)s “%(instance)s” deleted.")
            % {"value": library.noun.capitalize(), "instance": instance},
        )
    return redirect(f"{library.url_prefix}-list")


# --- agents ---------------------------------------------------------------------------


@permission_required_or_403("campaigns.view_agent")
def agent_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, AGENTS, selectors.agent_queryset(user=request.user))


@permission_required_or_403("campaigns.change_agent", "campaigns.add_agent")
def agent_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agent = get_visible_or_404(Agent.objects.all(), request.user, "team", pk=pk) if pk else None
    return _edit_page(request, AGENTS, agent)


@permission_required_or_403("campaigns.delete_agent")
@require_POST
def agent_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agent = get_visible_or_404(Agent.objects.all(), request.user, "team", pk=pk)
    return _delete(request, AGENTS, agent)


# --- disposition lists ---------------------------------------------------------------


def _with_counts(queryset: QuerySet, rows: str) -> QuerySet:
    return queryset.annotate(
        row_count=Count(rows, distinct=True), campaign_count=Count("campaigns", distinct=True)
    )


@permission_required_or_403("campaigns.view_dispositionlist")
def disposition_list_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, DISPOSITION_LISTS, _with_counts(DispositionList.objects, "codes"))


@permission_required_or_403("campaigns.change_dispositionlist", "campaigns.add_dispositionlist")
def disposition_list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(DispositionList, pk=pk) if pk else None
    return _edit_page(request, DISPOSITION_LISTS, instance)


@permission_required_or_403("campaigns.delete_dispositionlist")
@require_POST
def disposition_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, DISPOSITION_LISTS, get_object_or_404(DispositionList, pk=pk))


# --- pause-code lists ------------------------------------------------------------------


@permission_required_or_403("campaigns.view_pausecodelist")
def pause_code_list_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, PAUSE_CODE_LISTS, _with_counts(PauseCodeList.objects, "codes"))


@permission_required_or_403("campaigns.change_pausecodelist", "campaigns.add_pausecodelist")
def pause_code_list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(PauseCodeList, pk=pk) if pk else None
    return _edit_page(request, PAUSE_CODE_LISTS, instance)


@permission_required_or_403("campaigns.delete_pausecodelist")
@require_POST
def pause_code_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, PAUSE_CODE_LISTS, get_object_or_404(PauseCodeList, pk=pk))


# --- calling windows -------------------------------------------------------------------


@permission_required_or_403("campaigns.view_callingwindow")
def calling_window_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, CALLING_WINDOWS, _with_counts(CallingWindow.objects, "days"))


@permission_required_or_403("campaigns.change_callingwindow", "campaigns.add_callingwindow")
def calling_window_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(CallingWindow, pk=pk) if pk else None
    return _edit_page(request, CALLING_WINDOWS, instance, preview=_calling_window_preview)


def _calling_window_preview(form: CallingWindowForm) -> dict:
    rule = form.rule()
    return {
        "preview_template": "campaigns/includes/window_preview.html",
        "window_rule": rule,
        "window_preview": preview_today(rule, timezone.now()) if rule else [],
    }


@permission_required_or_403("campaigns.delete_callingwindow")
@require_POST
def calling_window_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, CALLING_WINDOWS, get_object_or_404(CallingWindow, pk=pk))
