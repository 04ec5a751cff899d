from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

NAVIGATION = (
    ("Campaigns", "campaigns:list"),
    ("Lead lists", "leads:list"),
    ("Do-not-call list", "dnc:list"),
    ("Vendors", "vendors:account-list"),
    ("Sync jobs", "sync:job-list"),
)


def _navigation_links() -> list[tuple[str, str]]:
    links = []
    for label, url_name in NAVIGATION:
        try:
            links.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    return links


def navigation(request: HttpRequest) -> dict:
    links = _navigation_links()
    user = getattr(request, "user", None)
    if user is not None and user.has_perm("auditlog.view_logentry"):
        links.append(("Audit trail", reverse("audit:list")))
    return {"navigation": links}
