from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from dialer_console.dashboard import dashboard_summary
from dialer_console.services import worker_status
from results.selectors import results_dashboard_tiles, results_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    overview, campaigns = results_home(user=request.user)
    context = {
        "summary": dashboard_summary(user=request.user)
        + results_dashboard_tiles(user=request.user, overview=overview),
        "campaign_results": campaigns,
        "worker": worker_status(),
    }
    return render(request, "home.html", context)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": gettext("You do not have permission to perform this action.")}, status=403
        )
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # An API path no route matches (/api/v1/campaigns/abc/) answers as DRF's 404s do,
    # the JSON the schema documents, not the HTML page.
    if _is_api(request):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    response = render(request, "errors/404.html", status=404)
    response.branded = True  # BrandedNotFoundMiddleware leaves it as it is
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
