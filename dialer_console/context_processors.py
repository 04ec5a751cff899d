from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = (
    (_("Campaigns"), "campaigns:list"),
    (_("Lead lists"), "leads:list"),
    (_("Do-not-call list"), "dnc:list"),
    (_("Vendors"), "vendors:account-list"),
    (_("Sync jobs"), "sync:job-list"),
)
# Links shown only to users holding the permission: (label, url name, permission).
NAVIGATION_RESTRICTED = (
    (_("Users"), "accounts:user-list", "accounts.view_user"),
    (_("My team"), "accounts:team-list", "accounts.view_team"),
    (_("Webhooks"), "webhooks:endpoint-list", "webhooks.view_webhookendpoint"),
)


def _navigation_links(user) -> list[tuple[str, str]]:
    links = []
    entries = list(NAVIGATION)
    if user is not None and user.is_authenticated:
        # A supervisor reaches the teams from the users page; a team lead sees "My team".
        restricted = NAVIGATION_RESTRICTED
        if user.has_perm("accounts.view_user"):
            restricted = tuple(entry for entry in restricted if entry[1] != "accounts:team-list")
        entries += [(label, url) for label, url, perm in restricted if user.has_perm(perm)]
    for label, url_name in entries:
        try:
            links.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    return links


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    links = _navigation_links(user)
    if user is not None and user.has_perm("auditlog.view_logentry"):
        links.append((_("Audit trail"), reverse("audit:list")))
    return {"navigation": links}
