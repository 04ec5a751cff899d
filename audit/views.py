from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import permission_required_or_403
from audit.forms import AuditFilterForm
from audit.selectors import AUDIT_SORTING, audit_entries, audit_entries_csv, audit_rows
from dialer_console.keyset import keyset_page

VIEW_AUDIT = "auditlog.view_logentry"


@permission_required_or_403(VIEW_AUDIT)
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries(filters=form.filters())
    page = keyset_page(request, entries, sorting=AUDIT_SORTING, rows=audit_rows)
    export = request.GET.copy()
    for name in ("after", "before", "sort"):
        export.pop(name, None)
    context = {"form": form, "page": page, "export_query": export.urlencode()}
    if request.htmx:
        return render(request, "audit/list.html#entries", context)
    return render(request, "audit/list.html", context)


@permission_required_or_403(VIEW_AUDIT)
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/list.html", {"form": form, "page": None}, status=400)
    response = StreamingHttpResponse(
        audit_entries_csv(filters=form.filters()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
