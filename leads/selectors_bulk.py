"""Which leads a bulk action acts on: the ticked ones, or every lead that matches a page's
filter. The confirmation counts the very queryset the service then runs on, and every
selection starts from the leads the user may see (``leads_visible``), so a filter never
reaches another team's leads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialer_console.errors import ApplicationError
from leads.models import Lead, LeadList, LeadStatus
from leads.selectors import leads_visible, phone_search_q

# Ticked leads come from one page (50) or an API body; the filter covers the rest.
BULK_MAX_IDS = 1000


@dataclass(frozen=True)
class LeadSelection:
    """A team-scoped queryset of leads and, for the confirmation, what it is."""

    leads: QuerySet[Lead]
    description: str
    by_filter: bool
    # What it was built from, so that a worker can build it again (``lead_selection_rebuild``).
    source: str = ""
    owner: object = None  # the LeadList or Campaign whose page it came from
    ids: list[int] | None = None
    filters: dict = field(default_factory=dict)

    def count(self) -> int:
        return self.leads.count()


def bulk_ids_read(raw: list) -> list[int]:
    """Lead (or entry) ids from a form or a body: whole numbers, at most BULK_MAX_IDS."""
    if len(raw) > BULK_MAX_IDS:
        raise ApplicationError(
            _(
                "At most %(bulk_max_ids)s ids can be sent at once; this was %(count)s. "
                "Select by filter instead."
            )
            % {"bulk_max_ids": format(BULK_MAX_IDS, ","), "count": format(len(raw), ",")},
            {"field": "ids", "count": len(raw)},
        )
    ids = []
    for value in raw:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdecimal() or len(text) > 18:
            raise ApplicationError(
                _("“%(value)s” is not an id.") % {"value": text[:40]}, {"field": "ids"}
            )
        ids.append(int(text))
    if not ids:
        raise ApplicationError(_("Select at least one item."), {"field": "ids"})
    return list(dict.fromkeys(ids))


def _by_ids_or_filter(leads: QuerySet[Lead], ids: list[int] | None, what: str) -> LeadSelection:
    if ids is not None:
        count = len(ids)
        return LeadSelection(
            leads.filter(pk__in=ids),
            ngettext("%(count)s selected lead", "%(count)s selected leads", count)
            % {"count": number_format(count, force_grouping=True)},
            by_filter=False,
        )
    return LeadSelection(leads, what, by_filter=True)


def lead_selection_for_list(
    *, user, lead_list: LeadList, ids: list[int] | None = None, status: str = "", phone: str = ""
) -> LeadSelection:
    """The leads of one list: ``ids`` among them, or all that match the list page's
    filter (status, phone read with the list's default country)."""
    leads = leads_visible(user=user).filter(lead_list=lead_list)
    parts = []
    if status:
        if status not in LeadStatus.values:
            raise ApplicationError(
                _("Unknown status “%(status)s”.") % {"status": status}, {"field": "status"}
            )
        leads = leads.filter(status=status)
        parts.append(_("status %(status)s") % {"status": LeadStatus(status).label})
    if phone.strip():
        leads = leads.filter(phone_search_q(text=phone, country=lead_list.default_country))
        parts.append(_("phone “%(phone)s”") % {"phone": phone.strip()})
    if parts:
        what = _("every lead of “%(name)s” with %(filters)s") % {
            "name": lead_list.name,
            "filters": _(" and ").join(parts),
        }
    else:
        what = _("every lead of “%(name)s”") % {"name": lead_list.name}
    selection = _by_ids_or_filter(leads, ids, what)
    return replace(
        selection,
        source="list",
        owner=lead_list,
        ids=ids,
        filters={key: value for key, value in (("status", status), ("phone", phone)) if value},
    )


def lead_selection_for_campaign(
    *, user, campaign, ids: list[int] | None = None, state: str = ""
) -> LeadSelection:
    """The leads of the campaign's active lists the user may see: ``ids`` among them, or
    all that match the campaign's Leads page filter (its sync state for the campaign,
    "not queued yet", or done)."""
    from campaigns.models import LeadDisposition
    from campaigns.selectors import DONE, NOT_QUEUED, campaign_lead_filters
    from sync.models import LeadSync

    labels = dict(campaign_lead_filters())
    if state not in labels:
        raise ApplicationError(
            _("Unknown filter “%(state)s”.") % {"state": state}, {"field": "state"}
        )
    list_ids = campaign.list_links.filter(active=True).values("lead_list_id")
    leads = leads_visible(user=user).filter(lead_list_id__in=list_ids)
    syncs = LeadSync.objects.filter(campaign=campaign, lead=OuterRef("pk"))
    if state == NOT_QUEUED:
        leads = leads.exclude(Exists(syncs))
    elif state == DONE:
        final = LeadDisposition.objects.filter(
            campaign=campaign, is_final=True, lead=OuterRef("pk")
        )
        leads = leads.filter(Exists(final))
    elif state:
        leads = leads.filter(Exists(syncs.filter(state=state)))
    if state:
        what = _("every lead of campaign “%(name)s” that is %(state)s") % {
            "name": campaign.name,
            "state": str(labels[state]).lower(),
        }
    else:
        what = _("every lead of campaign “%(name)s”") % {"name": campaign.name}
    selection = _by_ids_or_filter(leads, ids, what)
    filters = {"state": state} if state else {}
    return replace(selection, source="campaign", owner=campaign, ids=ids, filters=filters)


def lead_selection_rebuild(*, user, source: str, owner, ids: list[int] | None, filters: dict):
    """The selection a page or the API built, built again from what a bulk run stored,
    with ``user``'s visibility as it is now."""
    if source == "list":
        return lead_selection_for_list(user=user, lead_list=owner, ids=ids, **filters)
    return lead_selection_for_campaign(user=user, campaign=owner, ids=ids, **filters)


def lead_bulk_runs_visible(*, user) -> QuerySet:
    """Supervisors see every bulk run; everyone else their own and those over their
    team's leads (as a team sees its lists' imports)."""
    from leads.models import LeadBulkRun

    runs = LeadBulkRun.objects.select_related(
        "created_by", "lead_list", "campaign", "target_list", "target_campaign"
    )
    if user.is_supervisor:
        return runs
    visible = Q(created_by=user)
    if user.team_id is not None:
        visible |= Q(team_id=user.team_id)
    return runs.filter(visible)


def lead_bulk_run_get(*, user, pk: int):
    return get_object_or_404(lead_bulk_runs_visible(user=user), pk=pk)
