"""Reads: campaign lists for a user, the actions a campaign allows, the spec the vendor
adapters take, and the home page tile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import team_scope
from campaigns.models import Agent, Campaign, CampaignStatus, LeadDisposition
from campaigns.readiness import campaign_dial_readiness
from campaigns.spec import campaign_spec  # noqa: F401  (the adapters' view, re-exported)
from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import ID_RANGE
from dialer_console.keyset import Column, KeysetSlice, Sorting, keyset_rows_merged
from leads.models import Lead
from results.lead_report import dialer_report, lead_results
from results.models import LeadResult
from vendors.adapters.types import Capability

if TYPE_CHECKING:
    from sync.models import LeadSync

# Shown where a campaign has never reached its dialer: never a made-up number.
NOT_SYNCED_YET = gettext_lazy("not synced yet")

# The campaign list's orders: each one an index serves with the id (see Campaign.Meta).
CAMPAIGN_SORTING = Sorting(
    columns=(
        Column("name", gettext_lazy("Campaign"), "name"),
        Column("updated", gettext_lazy("Changed"), "updated_at", descending_first=True),
        Column("created", gettext_lazy("Created"), "created_at", descending_first=True),
    ),
    default="-updated",
)
CAMPAIGN_SORTS = {
    f"{sign}{column.key}": f"{sign}{column.field}"
    for column in CAMPAIGN_SORTING.columns
    for sign in ("", "-")
}


def campaign_queryset(*, user) -> QuerySet[Campaign]:
    """Campaigns ``user`` may see: all for supervisors, their team's for everyone else."""
    return team_scope(Campaign.objects.select_related("vendor_account", "team"), user)


# The campaign list's status filter: archived campaigns are left out unless asked for.
STATUS_NOT_ARCHIVED = ""
STATUS_ANY = "any"


def campaign_list(
    *, user, search: str = "", status: str = "", vendor: str = "", sort: str = "-updated"
) -> QuerySet[Campaign]:
    campaigns = campaign_queryset(user=user)
    if search:
        campaigns = campaigns.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if status == STATUS_NOT_ARCHIVED:
        campaigns = campaigns.exclude(status=CampaignStatus.ARCHIVED)
    elif status != STATUS_ANY:
        campaigns = campaigns.filter(status=status)
    if vendor == "none":
        campaigns = campaigns.filter(vendor_account__isnull=True)
    elif vendor:
        campaigns = campaigns.filter(vendor_account__kind=vendor)
    order = CAMPAIGN_SORTS.get(sort, "-updated_at")
    return campaigns.order_by(order, "-id" if order.startswith("-") else "id")


def agent_queryset(*, user) -> QuerySet[Agent]:
    return team_scope(Agent.objects.select_related("team"), user)


# --- actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignAction:
    name: str
    label: str
    to_status: str | None  # None: not a status change (clone)
    remote: bool  # the dialer is told, where its vendor has a start/stop call
    permission: str
    confirm: bool = False  # asks first, saying what happens on the dialer


ACTIONS = (
    CampaignAction(
        "start", gettext_lazy("Start"), CampaignStatus.ACTIVE, True, "campaigns.change_campaign"
    ),
    CampaignAction(
        "pause", gettext_lazy("Pause"), CampaignStatus.PAUSED, True, "campaigns.change_campaign"
    ),
    CampaignAction(
        "stop",
        gettext_lazy("Stop"),
        CampaignStatus.STOPPED,
        True,
        "campaigns.change_campaign",
        confirm=True,
    ),
    CampaignAction("clone", gettext_lazy("Clone"), None, False, "campaigns.add_campaign"),
    CampaignAction(
        "archive",
        gettext_lazy("Archive"),
        CampaignStatus.ARCHIVED,
        False,
        "campaigns.change_campaign",
        confirm=True,
    ),
)
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


@dataclass(frozen=True)
class ActionState:
    action: CampaignAction
    allowed: bool
    reason: str = ""


def action_for_status(campaign: Campaign, to_status: str) -> CampaignAction | None:
    if not campaign.can_transition_to(to_status):
        return None
    return next(action for action in ACTIONS if action.to_status == to_status)


def vendor_remote_support(kind: str, capability: Capability) -> tuple[bool, str]:
    """Whether the vendor's adapter can do ``capability``, and why not in words."""
    from vendors.adapters.registry import UnknownVendor, adapter_class
    from vendors.models import VendorKind

    label = VendorKind(kind).label if kind in VendorKind.values else kind
    try:
        adapter = adapter_class(kind)
    except (ImportError, UnknownVendor):
        return False, _(
            "Not available yet: the %(vendor)s connection is not installed in this console."
        ) % {"vendor": label}
    if adapter.supports(capability):
        return True, ""
    reason = adapter.unsupported_reasons.get(capability)
    return False, reason or _("%(vendor)s has no documented call for this.") % {"vendor": label}


def campaign_action_state(*, campaign: Campaign, action: CampaignAction) -> ActionState:
    """Whether ``action`` is possible now. Start, Pause and Stop change the console's
    status for every vendor: where the vendor has no start/stop call the page says so
    (``start_stop_note``) and the sync job has nothing to send for it. Start (and
    resume) needs an active lead list with a callable lead (``campaigns.readiness``)."""
    if action.to_status is not None and not campaign.can_transition_to(action.to_status):
        return ActionState(
            action,
            False,
            _("Not possible while the campaign is %(status)s.")
            % {"status": campaign.get_status_display().lower()},
        )
    if action.remote:
        if campaign.vendor_account is None:
            return ActionState(action, False, _("Choose a vendor account first."))
        from vendors.adapters.registry import UnknownVendor, adapter_class

        try:
            adapter_class(campaign.vendor_account.kind)
        except (ImportError, UnknownVendor):
            label = campaign.vendor_account.get_kind_display()
            return ActionState(
                action,
                False,
                _("Not available yet: the %(vendor)s connection is not installed in this console.")
                % {"vendor": label},
            )
    if action.to_status == CampaignStatus.ACTIVE:
        problem = campaign_dial_readiness(campaign=campaign).problem
        if problem:
            return ActionState(action, False, problem)
    return ActionState(action, True)


def start_stop_note(*, campaign: Campaign) -> str:
    """What Start, Pause and Stop do on a vendor that has no start/stop call, in plain
    words for beside the buttons; "" where the dialer is started and stopped from here."""
    if campaign.vendor_account is None:
        return ""
    supported, reason = vendor_remote_support(
        campaign.vendor_account.kind, Capability.CAMPAIGN_START_STOP
    )
    if supported or not _adapter_installed(campaign.vendor_account.kind):
        return ""
    return _(
        "%(reason)s Start, Pause and Stop here change the console's status only; the "
        "console keeps pushing leads to the dialer while the campaign is active."
    ) % {"reason": reason}


def _adapter_installed(kind: str) -> bool:
    from vendors.adapters.registry import UnknownVendor, adapter_class

    try:
        adapter_class(kind)
    except (ImportError, UnknownVendor):
        return False
    return True


def campaign_actions(*, campaign: Campaign, user=None) -> list[ActionState]:
    """Every action ``user`` may take, with whether it is possible now and, if not, why.
    Actions the user may never take are left out: the page says once that it is
    read-only instead of showing each one disabled."""
    return [
        campaign_action_state(campaign=campaign, action=action)
        for action in ACTIONS
        if user is None or user.has_perm(action.permission)
    ]


def action_consequences(*, campaign: Campaign, action: CampaignAction) -> list[str]:
    """What ``action`` does, in plain words for its confirmation: on the dialer (per the
    vendor's capabilities) first, then in the console."""
    account = campaign.vendor_account
    if account is None:
        on_dialer = [_("The campaign has no vendor account: no dialer is told anything.")]
    else:
        label = account.get_kind_display()
        supported, reason = vendor_remote_support(account.kind, Capability.CAMPAIGN_START_STOP)
        if supported:
            on_dialer = [
                _("%(vendor)s is told to stop the campaign: it stops dialling its leads.")
                % {"vendor": label}
            ]
        else:
            on_dialer = [
                _(
                    "%(vendor)s cannot be stopped from the console: %(reason)s Only the "
                    "console's status changes; stop the campaign in %(vendor)s itself, or it "
                    "keeps dialling."
                )
                % {"vendor": label, "reason": reason}
            ]
    if action.name == "stop":
        return [
            *on_dialer,
            _("Its leads stay on the dialer; Start resumes the campaign."),
        ]
    return [
        *on_dialer,
        _("No more leads are sent to the dialer; the campaign is not deleted there."),
        _(
            "An archived campaign can never be changed or started again (Clone makes an "
            "editable copy), and the campaign list hides it unless filtered by status Archived."
        ),
    ]


# --- home page -----------------------------------------------------------------------


def campaign_dashboard_tiles(*, user) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("campaigns.view_campaign"):
        return []
    campaigns = campaign_queryset(user=user)
    url = reverse("campaigns:list")
    return [
        Tile(_("Campaigns"), campaigns.exclude(status=CampaignStatus.ARCHIVED).count(), url),
        Tile(
            _("Active campaigns"),
            campaigns.filter(status=CampaignStatus.ACTIVE).count(),
            f"{url}?status=active",
        ),
    ]


# --- sync state, read from the sync app --------------------------------------------------


@dataclass(frozen=True)
class CampaignSyncStatus:
    """A campaign's sync state as the API shows it (from ``sync.selectors``)."""

    state: str
    label: str
    last_synced_at: datetime | None
    last_error: str
    pending_calls: int | None
    pending_fetched_at: datetime | None
    pending_age_seconds: int | None

    @property
    def never_synced(self) -> bool:
        return self.last_synced_at is None


def campaign_sync_statuses(*, campaign_ids: list[int]) -> dict[int, CampaignSyncStatus]:
    """Each campaign's sync state, pending calls (with their age), last sync and last
    error, in two queries however many campaigns there are."""
    from sync.models import CampaignRemote
    from sync.selectors import campaign_sync_summaries

    summaries = campaign_sync_summaries(campaign_ids=campaign_ids)
    remotes = {
        row["campaign_id"]: row
        for row in CampaignRemote.objects.filter(campaign_id__in=campaign_ids).values(
            "campaign_id", "last_synced_at", "last_error"
        )
    }
    now = timezone.now()
    statuses = {}
    for campaign_id, summary in summaries.items():
        remote = remotes.get(campaign_id, {})
        fetched = summary.pending_fetched_at
        statuses[campaign_id] = CampaignSyncStatus(
            state=summary.state,
            label=summary.label,
            last_synced_at=remote.get("last_synced_at"),
            last_error=remote.get("last_error", ""),
            pending_calls=summary.pending_calls,
            pending_fetched_at=fetched,
            pending_age_seconds=int((now - fetched).total_seconds()) if fetched else None,
        )
    return statuses


# --- a campaign's leads --------------------------------------------------------------------

LEADS_PAGE_SIZE = 50
NOT_QUEUED = "not_queued"
DONE = "done"


def campaign_lead_filters() -> list[tuple[str, str]]:
    """The leads page's filters: every per-campaign sync state, plus leads the sync has
    not queued yet and leads done for the campaign (a final disposition)."""
    from sync.models import LeadSyncState

    return [
        ("", _("All leads")),
        (NOT_QUEUED, _("Not queued yet")),
        *LeadSyncState.choices,
        (DONE, _("Done (final disposition)")),
    ]


@dataclass(frozen=True)
class CampaignLeadRow:
    lead: Lead
    sync: LeadSync | None  # None: the sync has not queued it for this campaign yet
    disposition: LeadDisposition | None  # the latest one recorded in this campaign
    # What the dialer reported (results.lead_report.DialerReport); None: no dialer.
    report: Any = None

    @property
    def sync_label(self) -> str:
        return self.sync.get_state_display() if self.sync else _("Not queued yet")

    @property
    def on_dialer(self) -> bool:
        return bool(self.sync and self.sync.state == "pushed" and self.sync.remote_id)

    @property
    def done(self) -> bool:
        return bool(self.disposition and self.disposition.is_final)

    @property
    def sync_reason(self) -> str:
        """The sync row's reason, unless it only repeats the state ("Removed." beside
        "Removed")."""
        reason = self.sync.reason if self.sync else ""
        # The stored reason is English (written by the sync worker): compared with the
        # state's English label as well as the one shown.
        with translation.override("en"):
            english = self.sync_label
        return "" if reason.rstrip(".") in (english, self.sync_label) else reason

    @property
    def not_dialled_because(self) -> str:
        """Why no outcome can be recorded for a lead that is not dialled at all."""
        return str(NOT_DIALLED.get(self.lead.status, ""))


# Leads no dialer calls: no outcome is recorded for them.
NOT_DIALLED = {
    "dnc": gettext_lazy("Not dialled: the number is on the do-not-call list."),
    "removed": gettext_lazy("Not dialled: the lead was taken back."),
    "invalid": gettext_lazy("Not dialled: the number is invalid."),
}


@dataclass(frozen=True)
class CampaignLeadsPage:
    rows: list[CampaignLeadRow]
    next_after: int | None
    lead_lists: list  # the active leads.LeadList rows, with the counts the leads app keeps
    prev_before: int | None = None  # the keyset of the page before, if there is one

    @property
    def leads_in_lists(self) -> int:
        return sum(lead_list.total_count for lead_list in self.lead_lists)


def lead_page_after(raw: str, name: str = "after") -> int:
    """The ``after`` (or ``before``) lead id of a leads page from a query string."""
    if not raw:
        return 0
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not raw.isdecimal() or int(raw) > ID_RANGE[1]:
        raise ApplicationError(
            _("“%(name)s” must be a lead id (a whole number).") % {"name": name}, {"field": name}
        )
    return int(raw)


# The leads page's order: by lead id, either way (for a sync state or final outcomes, by
# the lead id of the sync rows or dispositions, which their indexes serve).
CAMPAIGN_LEAD_SORTING = Sorting(
    columns=(Column("lead", gettext_lazy("Lead"), "id"),), default="lead"
)


def _page_leads(campaign, list_ids, state, after, size, before=0, sort="") -> KeysetSlice:
    """Up to ``size`` leads after ``after`` or, with ``before``, the ``size`` leads just
    before it, in ``sort`` order (``CAMPAIGN_LEAD_SORTING``) either way."""
    from sync.models import LeadSync

    if state == DONE:
        rows = LeadDisposition.objects.filter(
            campaign=campaign, is_final=True, lead__lead_list_id__in=list_ids
        ).select_related("lead__lead_list")
    elif state and state != NOT_QUEUED:
        rows = LeadSync.objects.filter(
            campaign=campaign, state=state, lead__lead_list_id__in=list_ids
        ).select_related("lead__lead_list")
    else:
        rows = Lead.objects.filter(lead_list_id__in=list_ids).select_related("lead_list")
        if state == NOT_QUEUED:
            rows = rows.exclude(
                Exists(LeadSync.objects.filter(campaign=campaign, lead=OuterRef("pk")))
            )
    key = "id" if rows.model is Lead else "lead_id"
    sorting = Sorting(
        columns=(Column("lead", gettext_lazy("Lead"), key),), default="lead", tiebreak=key
    )
    # Leads of several lists: each list read in id order through (lead_list, id), since
    # "lead_list IN (...)" is planned as a walk of the primary key from id 0.
    parts = [rows.filter(lead_list_id=pk) for pk in list_ids] if key == "id" else [rows]
    found = keyset_rows_merged(
        parts or [rows.none()],
        sorting=sorting,
        sort=sort or sorting.default,
        after=str(after or ""),
        before=str(before or ""),
        size=size,
    )
    if key == "id":
        return found
    return KeysetSlice([row.lead for row in found.rows], found.next_cursor, found.prev_cursor)


def campaign_leads_page(
    *,
    campaign: Campaign,
    user,
    state: str = "",
    after: int = 0,
    before: int = 0,
    size: int = LEADS_PAGE_SIZE,
    sort: str = "",
) -> CampaignLeadsPage:
    """One page of the leads of the campaign's active lists, by keyset both ways (lead ids
    after ``after``, or just before ``before``), with each lead's sync state for this
    campaign and its latest disposition. A fixed number of queries, and nothing counted:
    the total is the lists' kept count. Only the lists ``user`` may see: a campaign
    linked to another team's list before that was refused must not show its leads."""
    from sync.models import LeadSync

    if state not in dict(campaign_lead_filters()):
        raise ApplicationError(
            _("Unknown filter “%(state)s”.") % {"state": state}, {"field": "state"}
        )
    links = team_scope(
        campaign.list_links.filter(active=True).select_related("lead_list"),
        user,
        "lead_list__team",
    )
    lead_lists = [link.lead_list for link in links]
    list_ids = [lead_list.pk for lead_list in lead_lists]
    found = _page_leads(campaign, list_ids, state, after, size, before, sort)
    leads = found.rows
    next_after = int(found.next_cursor) if found.next_cursor else None
    prev_before = int(found.prev_cursor) if found.prev_cursor else None
    ids = [lead.pk for lead in leads]
    syncs = {
        row.lead_id: row for row in LeadSync.objects.filter(campaign=campaign, lead_id__in=ids)
    }
    latest: dict[int, LeadDisposition] = {}
    dispositions = LeadDisposition.objects.filter(campaign=campaign, lead_id__in=ids)
    # recorded_by with the row: the page names who recorded each outcome (no query a row).
    for disposition in dispositions.select_related("recorded_by").order_by(
        "lead_id", "-recorded_at", "-id"
    ):
        latest.setdefault(disposition.lead_id, disposition)
    results = lead_results(campaign_ids=[campaign.pk], lead_ids=ids)
    kind = campaign.vendor_account.kind if campaign.vendor_account_id else None
    rows = [
        CampaignLeadRow(
            lead,
            syncs.get(lead.pk),
            latest.get(lead.pk),
            dialer_report(result=results.get((campaign.pk, lead.pk)), vendor_kind=kind),
        )
        for lead in leads
    ]
    return CampaignLeadsPage(
        rows=rows, next_after=next_after, lead_lists=lead_lists, prev_before=prev_before
    )


def campaign_lead_row(*, campaign: Campaign, lead: Lead) -> CampaignLeadRow:
    """One lead's row of the leads page (after a disposition changed it)."""
    from sync.models import LeadSync

    kind = campaign.vendor_account.kind if campaign.vendor_account_id else None
    return CampaignLeadRow(
        lead,
        LeadSync.objects.filter(campaign=campaign, lead=lead).first(),
        LeadDisposition.objects.filter(campaign=campaign, lead=lead)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first(),
        dialer_report(
            result=LeadResult.objects.filter(campaign=campaign, lead=lead).first(),
            vendor_kind=kind,
        ),
    )


def lead_in_campaign_or_404(*, campaign: Campaign, lead_id: int, user) -> Lead:
    """A lead of one of the campaign's lead lists that ``user`` may see (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        team_scope(Lead.objects.select_related("lead_list"), user, "lead_list__team"),
        pk=lead_id,
        lead_list__campaign_links__campaign=campaign,
    )
