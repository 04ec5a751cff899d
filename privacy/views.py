"""Erasing a person, for supervisors: find them by number or e-mail address (sent by POST,
so the number is in no URL or access log), see everything held, confirm, erase; then the
erasure's record. ``privacy.services`` does the work."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import permission_required_or_403
from dialer_console.errors import ApplicationError
from privacy import services
from privacy.forms import PersonEraseForm, PersonSearchForm
from privacy.models import PersonErasure

ERASE = ("privacy.view_personerasure", "privacy.add_personerasure")


def _person(form: PersonSearchForm) -> services.Person | None:
    if not form.is_valid():
        return None
    try:
        return services.person_read(**form.cleaned_data)
    except ApplicationError as exc:
        field = exc.extra.get("field")
        form.add_error(field if field in form.fields else None, exc.message)
        return None


@permission_required_or_403(*ERASE)
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "privacy/erase.html", {"form": PersonSearchForm()})
    search = PersonSearchForm(request.POST)
    person = _person(search)
    if person is None:
        return render(request, "privacy/erase.html", {"form": search}, status=400)
    erasing = request.POST.get("step") == "erase"
    erase_form = PersonEraseForm(request.POST if erasing else None, initial=search.cleaned_data)
    if erasing and erase_form.is_valid():
        erasure = services.person_erase(
            person=person, acting_user=request.user, dnc=erase_form.cleaned_data["dnc"]
        )
        messages.success(
            request,
            gettext("Erasure #%(number)s: %(state)s.")
            % {"number": erasure.pk, "state": erasure.get_state_display()},
        )
        return redirect("privacy:erasure", erasure_id=erasure.pk)
    context = {
        "form": search,
        "findings": services.person_findings(person, user=request.user),
        "erase_form": erase_form,
        "upload_retention_days": settings.UPLOAD_RETENTION_DAYS,
    }
    return render(request, "privacy/erase.html", context, status=400 if erasing else 200)


@permission_required_or_403("privacy.view_personerasure")
@require_GET
def erasure_detail(request: HttpRequest, erasure_id: int) -> HttpResponse:
    erasure = get_object_or_404(PersonErasure.objects.select_related("requested_by"), pk=erasure_id)
    context = {
        "erasure": erasure,
        "title": gettext("Erasure #%(number)s") % {"number": erasure.pk},
        "counts": sorted(erasure.counts.items()),
        "open_jobs": services.erasure_open_jobs(erasure).select_related("campaign")[:50],
    }
    return render(request, "privacy/erasure.html", context)
