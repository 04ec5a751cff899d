"""The do-not-call list from a file and to a file: upload a file of numbers (read like a
lead import) and see a report per line; download the list the user may see as CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from dialer_console.exports import export_format, export_response
from leads import selectors, selectors_dnc_files
from leads.forms import DncFileForm
from leads.importing.report import csv_download, report_delimiter
from leads.importing.upload import install_upload_limit
from leads.models import DncScope
from leads.services import dnc_files, upload_limit_message
from leads.views_dnc import _add_form, _target

LINES_SHOWN = 200


@csrf_exempt  # CSRF is checked by csrf_protect below, after the upload limit is in place
@permission_required_or_403("leads.view_dncentry", "leads.add_dncentry")
def dnc_upload(request: HttpRequest) -> HttpResponse:
    install_upload_limit(request)
    return _dnc_upload(request)


@csrf_protect
def _dnc_upload(request: HttpRequest) -> HttpResponse:
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = _add_form(request, data, form_class=DncFileForm, files=files)
    if request.method == "POST":
        if request.lead_upload_too_large:
            form.is_valid()  # the handler dropped the file; say why instead of "required"
            form.errors["file"] = form.error_class([upload_limit_message()])
        elif form.is_valid():
            try:
                job = _create_and_start(request, form.cleaned_data)
            except ApplicationError as error:
                field = error.extra.get("field")
                form.add_error(field if field in form.fields else None, error.message)
            else:
                return redirect("dnc:upload-detail", pk=job.pk)
    return render(request, "leads/dnc_upload.html", {"form": form})


def _create_and_start(request: HttpRequest, data: dict):
    job = dnc_files.dnc_file_create(
        upload=data["file"],
        country=data["country"],
        target=_target(data),
        reason=data["reason"],
        expires_at=data["expires_at"],
        encoding=data["encoding"],
        delimiter=data["delimiter"],
        acting_user=request.user,
    )
    return dnc_files.dnc_file_start(job=job)


def _job_context(request: HttpRequest, pk: int) -> dict:
    job = selectors_dnc_files.dnc_file_job_get(user=request.user, pk=pk)
    lines = []
    if not job.is_active:
        lines = selectors_dnc_files.dnc_file_lines_not_added(job=job, limit=LINES_SHOWN)
    return {"job": job, "lines": lines, "lines_shown": LINES_SHOWN}


@permission_required_or_403("leads.view_dncentry")
def dnc_upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "leads/dnc_upload_job.html", _job_context(request, pk))


@permission_required_or_403("leads.view_dncentry")
def dnc_upload_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled fragment; once the job is over it renders without its trigger."""
    return render(request, "leads/dnc_upload_job.html#status", _job_context(request, pk))


@permission_required_or_403("leads.view_dncentry")
def dnc_upload_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Every line of the upload and what became of it; ``?delimiter=`` "," or ";",
    by default the upload's own."""
    job = selectors_dnc_files.dnc_file_job_get(user=request.user, pk=pk)
    delimiter = report_delimiter(request.GET.get("delimiter", ""), default=job.delimiter)
    lines = selectors_dnc_files.dnc_file_report_csv(job=job, delimiter=delimiter)
    return csv_download(lines, f"dnc-upload-{job.pk}-report.csv")


@permission_required_or_403("leads.view_dncentry")
def dnc_export(request: HttpRequest) -> HttpResponse:
    """The do-not-call list the user may see, streamed as CSV (``delimiter`` "," or ";")
    or xlsx (``file_format``), optionally one ``scope`` and one ``state`` (active,
    expired)."""
    scope = request.GET.get("scope", "")
    state = request.GET.get("state", "")
    try:
        file_format = export_format(request.GET.get("file_format", ""))
    except ApplicationError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain")
    table = selectors_dnc_files.dnc_entries_table(
        user=request.user,
        now=timezone.now(),
        scope=scope if scope in DncScope.values else "",
        state=state if state in dict(selectors.DNC_STATE_CHOICES) else "",
    )
    return export_response(
        table,
        file_format=file_format,
        delimiter=report_delimiter(request.GET.get("delimiter", "")),
    )
