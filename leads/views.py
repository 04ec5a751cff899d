"""Lead list pages and the import flow: upload → preview → mapping and policy → run →
result. Each view validates, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_page
from leads import selectors, services
from leads.forms import (
    FileSettingsForm,
    LeadFilterForm,
    LeadListForm,
    MappingPolicyForm,
    UploadForm,
)
from leads.importing.report import csv_download, rejected_rows_csv
from leads.importing.upload import install_upload_limit
from leads.models import ImportState, Lead
from leads.views_bulk import lead_bulk_bar


@permission_required_or_403("leads.view_leadlist")
def lead_list_index(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        request,
        selectors.lead_lists_visible(user=request.user),
        sorting=selectors.LEAD_LIST_SORTING,
        rows=lambda lead_lists: selectors.lead_lists_counted(lead_lists=lead_lists),
    )
    recent = selectors.import_jobs_visible(user=request.user)[:10]
    return render(request, "leads/list.html", {"page": page, "recent_imports": recent})


@permission_required_or_403("leads.view_importjob")
def import_index(request: HttpRequest) -> HttpResponse:
    """Every import the user may see, newest first, by keyset."""
    page = keyset_page(
        request, selectors.import_jobs_visible(user=request.user), sorting=selectors.IMPORT_SORTING
    )
    return render(request, "leads/import_list.html", {"page": page})


@permission_required_or_403("leads.add_leadlist")
def lead_list_create(request: HttpRequest) -> HttpResponse:
    form = LeadListForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lead_list = services.lead_list_create(data=form.cleaned_data, acting_user=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Lead list “%(lead_list)s” created.") % {"lead_list": lead_list}
            )
            return redirect("leads:detail", pk=lead_list.pk)
    return render(request, "leads/form.html", {"form": form, "lead_list": None})


@permission_required_or_403("leads.change_leadlist")
def lead_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead_list = selectors.lead_list_get(user=request.user, pk=pk)
    form = LeadListForm(request.POST or None, instance=lead_list, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_list_update(
                lead_list=lead_list, data=form.cleaned_data, acting_user=request.user
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Lead list saved."))
            return redirect("leads:detail", pk=lead_list.pk)
    return render(request, "leads/form.html", {"form": form, "lead_list": lead_list})


@permission_required_or_403("leads.delete_leadlist")
@require_POST
def lead_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    lead_list = selectors.lead_list_get(user=request.user, pk=pk)
    try:
        services.lead_list_delete(lead_list=lead_list)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("leads:detail", pk=pk)
    messages.success(request, _("Lead list “%(lead_list)s” deleted.") % {"lead_list": lead_list})
    return redirect("leads:list")


@permission_required_or_403("leads.view_leadlist")
def lead_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead_list = selectors.lead_list_get(user=request.user, pk=pk)
    filters = LeadFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    status, phone = chosen.get("status", ""), chosen.get("phone", "")
    try:
        leads = selectors.leads_filtered(lead_list=lead_list, status=status, phone=phone)
    except ApplicationError as error:  # not a phone number
        filters.add_error("phone", error.message)
        leads = Lead.objects.none()
    page = keyset_page(request, leads, sorting=selectors.LEAD_SORTING)
    context = {
        "lead_list": lead_list,
        "page": page,
        "status": status,
        "phone": phone,
        "filters": filters,
        "imports": lead_list.imports.select_related("created_by")[:20],
        "counts": selectors.lead_list_counts(lead_list=lead_list),
        "bulk": lead_bulk_bar(
            request,
            url=reverse("leads:bulk", args=[lead_list.pk]),
            filters={"status": status, "phone": phone},
            exclude_list=lead_list,
        ),
    }
    if request.htmx:
        return render(request, "leads/detail.html#leads-table", context)
    return render(request, "leads/detail.html", context)


def _int_param(request: HttpRequest, name: str) -> int:
    return _int_value(request.GET.get(name, 0))


def _int_value(raw) -> int:
    try:
        return max(int(raw or 0), 0)
    except ValueError:
        return 0


# --- import flow ----------------------------------------------------------------------


@csrf_exempt  # CSRF is checked by csrf_protect below, after the upload limit is in place
@permission_required_or_403("leads.add_importjob")
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    install_upload_limit(request)
    return _import_upload(request, pk)


@csrf_protect
def _import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    lead_list = selectors.lead_list_get(user=request.user, pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.lead_upload_too_large:
            form.is_valid()  # the handler dropped the file; say why instead of "required"
            form.errors["file"] = form.error_class([services.upload_limit_message()])
        elif form.is_valid():
            try:
                job = services.import_job_create(
                    lead_list=lead_list, upload=form.cleaned_data["file"], acting_user=request.user
                )
            except ApplicationError as error:
                form.add_error("file", error.message)
            else:
                return redirect("leads:import-detail", pk=job.pk)
    return render(request, "leads/upload.html", {"form": form, "lead_list": lead_list})


@permission_required_or_403("leads.view_importjob")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2 (preview) while the file waits for its mapping; afterwards progress and the
    result."""
    job = selectors.import_job_get(user=request.user, pk=pk)
    if job.state == ImportState.UPLOADED:
        return _preview_page(request, job, FileSettingsForm(initial=_file_settings(job)))
    return render(request, "leads/import_job.html", _job_context(job))


def _file_settings(job) -> dict:
    return {"encoding": job.encoding, "delimiter": job.delimiter, "has_header": job.has_header}


def _preview_page(request, job, form, status=200) -> HttpResponse:
    preview, error = None, ""
    try:
        preview = services.import_preview(job=job)
    except ApplicationError as exc:
        error = exc.message
    context = {"job": job, "form": form, "preview": preview, "preview_error": error}
    template = "leads/import_preview.html"
    if request.htmx:
        template += "#preview"
    return render(request, template, context, status=status)


@permission_required_or_403("leads.add_importjob")
@require_POST
def import_reread(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    form = FileSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.import_job_reread(job=job, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
    return _preview_page(request, job, form)


@permission_required_or_403("leads.add_importjob")
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    if job.state != ImportState.UPLOADED:
        return redirect("leads:import-detail", pk=job.pk)
    form = _mapping_form(request, job, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _configure_and_start(job, form, request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("leads:import-detail", pk=job.pk)
    return _mapping_page(request, job, form)


@permission_required_or_403("leads.add_importjob")
@require_POST
def import_apply_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the mapping from a saved template: a POST, since it changes the job. Answers
    HTMX with the refreshed mapping form, a plain form post with the mapping page."""
    job = selectors.import_job_get(user=request.user, pk=pk)
    if job.state != ImportState.UPLOADED:
        return redirect("leads:import-detail", pk=job.pk)
    templates = selectors.mapping_templates_visible(user=request.user)
    template = get_object_or_404(templates, pk=_int_value(request.POST.get("template")))
    services.import_job_apply_template(job=job, template=template)
    if not request.htmx:
        return redirect("leads:import-mapping", pk=job.pk)
    return _mapping_page(request, job, _mapping_form(request, job), "#mapping")


def _mapping_form(request: HttpRequest, job, data=None) -> MappingPolicyForm:
    initial = {
        "default_country": job.default_country,
        "duplicate_policy": job.duplicate_policy,
        "duplicate_scope": job.duplicate_scope,
        "dnc_scrub": job.dnc_scrub,
        **{f"column_{i}": target for i, target in enumerate(job.mapping)},
    }
    return MappingPolicyForm(
        data,
        initial=initial,
        header=job.header,
        campaigns=selectors.campaign_choices(user=request.user),
        user=request.user,
    )


def _mapping_page(request: HttpRequest, job, form, partial: str = "") -> HttpResponse:
    rows = []
    try:
        rows = services.import_preview(job=job).rows
    except ApplicationError as error:
        if not form.is_bound:  # nothing to attach the error to: the preview page says why
            return redirect("leads:import-detail", pk=job.pk)
        form.add_error(None, error.message)
    suggestions = services.import_mapping_suggestions(job=job, rows=rows)
    columns = [
        (field, [row.fields[i] for row in rows[:3] if i < len(row.fields)], suggestion)
        for i, (field, suggestion) in enumerate(
            zip(form.column_fields(), suggestions, strict=False)
        )
    ]
    templates = selectors.mapping_templates_visible(user=request.user)
    context = {"job": job, "form": form, "templates": templates, "columns": columns}
    return render(request, "leads/import_mapping.html" + partial, context)


def _configure_and_start(job, form: MappingPolicyForm, user) -> None:
    data = form.cleaned_data
    services.import_job_configure(
        job=job,
        mapping=form.mapping(),
        default_country=data["default_country"],
        duplicate_policy=data["duplicate_policy"],
        duplicate_scope=data["duplicate_scope"],
        scope_campaign_id=data.get("scope_campaign"),
        dnc_scrub=data["dnc_scrub"],
        acting_user=user,
    )
    if data["template_name"]:
        services.mapping_template_save(
            name=data["template_name"], header=job.header, mapping=job.mapping, acting_user=user
        )
    services.import_job_start(job=job)


def _job_context(job) -> dict:
    return {"job": job, "progress": selectors.import_progress(job=job, now=timezone.now())}


@permission_required_or_403("leads.view_importjob")
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled fragment. Once the job is over it renders without its trigger, which
    ends the polling."""
    job = selectors.import_job_get(user=request.user, pk=pk)
    return render(request, "leads/import_job.html#status", _job_context(job))


@permission_required_or_403("leads.view_importjob")
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as CSV, separated by ``?delimiter=`` ("," or ";"), by default
    the upload's own delimiter."""
    job = selectors.import_job_get(user=request.user, pk=pk)
    rows = rejected_rows_csv(job=job, delimiter=request.GET.get("delimiter", ""))
    return csv_download(rows, f"import-{job.pk}-rejected-rows.csv")


@permission_required_or_403("leads.delete_lead")
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    try:
        undone = services.import_undo(job=job)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        message = ngettext(
            "Import undone: %(count)s lead it created was removed.",
            "Import undone: %(count)s leads it created were removed.",
            undone.removed,
        ) % {"count": number_format(undone.removed, force_grouping=True)}
        if undone.leaving_dialers:
            message += " " + ngettext(
                "%(count)s of them was already on a dialer; the sync takes it off "
                "(see the campaign's sync panel).",
                "%(count)s of them were already on a dialer; the sync takes them off it "
                "(see the campaign's sync panel).",
                undone.leaving_dialers,
            ) % {"count": number_format(undone.leaving_dialers, force_grouping=True)}
        messages.success(request, message)
    return redirect("leads:import-detail", pk=job.pk)
