"""Plain values that cross the adapter boundary. Adapters never see models or raw dicts
from the rest of the console, and return only these."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy


class Capability(enum.StrEnum):
    CAMPAIGN_CREATE = "campaign_create"
    CAMPAIGN_UPDATE = "campaign_update"
    CAMPAIGN_LINK = "campaign_link"  # attach to a campaign that already exists remotely
    CAMPAIGN_DELETE = "campaign_delete"
    CAMPAIGN_START_STOP = "campaign_start_stop"
    LEAD_PUSH = "lead_push"
    LEAD_PUSH_BULK = "lead_push_bulk"
    LEAD_REMOVE = "lead_remove"
    LEAD_UPDATE = "lead_update"
    PENDING_COUNT = "pending_count"
    AGENTS = "agents"
    CALL_RESULT = "call_result"
    LEAD_TERMINATE = "lead_terminate"
    # Reconciliation: list what the dialer holds for a campaign, read its settings back.
    RECONCILE_LEADS = "reconcile_leads"
    RECONCILE_SETTINGS = "reconcile_settings"
    # Count what the dialer holds for a campaign: compared first, listed only on a difference.
    RECONCILE_COUNT = "reconcile_count"
    # Results: what the dialer did with each lead, read by a documented call.
    RESULTS_PULL = "results_pull"
    # A callback at a given time, kept by the dialer itself (Acefone schedule_call).
    SCHEDULE_CALL = "schedule_call"


class WindowEnforcement(enum.StrEnum):
    """How a campaign's calling window is enforced on a dialer: by the strongest means its
    documents give. Each adapter declares one (``BaseAdapter.window_enforcement``); the
    console's gate (``sync/window_gate.py``) reads it and the capability matrix, the
    campaign page and the README say it in words."""

    # The dialer schedules each lead itself in the lead's own hours (Voicenter's
    # OriginateTime, Webitel's member timezone with the dialer's communication ranges).
    PER_LEAD = "per_lead"
    # The console gates: it pushes a lead only while its window is open and takes it back
    # when the window closes before the lead was dialled.
    GATE = "gate"
    # The dialer keeps only a campaign-level time (Acefone's time_group): the console
    # pushes a lead only while open, and only when the campaign's time today lies inside
    # the lead's own hours.
    CAMPAIGN_TIME = "campaign_time"


WINDOW_ENFORCEMENT_LABELS = {
    WindowEnforcement.PER_LEAD: gettext_lazy("Per lead, on the dialer"),
    WindowEnforcement.GATE: gettext_lazy("The console gates each lead"),
    WindowEnforcement.CAMPAIGN_TIME: gettext_lazy(
        "Campaign-level time on the dialer, the console gates"
    ),
}


@dataclass(frozen=True)
class WindowMeans:
    """An adapter's declaration of how it enforces the calling window: the means, in
    words what is enforced and by which documented field, what the dialer can still do
    outside the console's control ("" when nothing), whether the console takes back
    pushed, not yet dialled leads when their window closes (the vendor documents removing
    a lead), and for CAMPAIGN_TIME the zone the dialer reads its campaign-level time in
    when the calling window names none."""

    enforcement: WindowEnforcement = WindowEnforcement.GATE
    enforced: str = ""
    outside_control: str = ""
    take_back: bool = False
    campaign_time_zone: str = ""
    # CAMPAIGN_TIME where the dialer's time is a span of its own settings rather than the
    # window's daily hours (jtel's dtFrom/dtTo): the vendor settings -> (start, end), each
    # an aware instant or None for an open end. None: the window's hours of the day, in
    # the window's fixed zone, else in ``campaign_time_zone``.
    campaign_time: Callable[[dict[str, Any]], tuple[datetime | None, datetime | None]] | None = None

    @property
    def label(self) -> str:
        return WINDOW_ENFORCEMENT_LABELS[self.enforcement]


class ResultField(enum.StrEnum):
    """What a dialer can report about a lead; each adapter's ``result_fields`` names the
    ones its documents give, so a page says "not reported by <vendor>" for the others."""

    ATTEMPTS = "attempts"
    LAST_ATTEMPT_AT = "last_attempt_at"
    LAST_RESULT = "last_result"
    NEXT_ATTEMPT_AT = "next_attempt_at"
    DONE = "done"
    AGENT = "agent"


@dataclass(frozen=True)
class CredentialField:
    """One credential or connection option a vendor account needs. ``secret`` values are
    encrypted at rest and never shown again; the others (a user name, an auth mode) are
    shown in the edit form."""

    name: str
    label: str
    secret: bool = True
    required: bool = True
    help_text: str = ""
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AccountConfig:
    """What an adapter needs of a vendor account: decrypted credentials stay in here and
    in the auth the client builder derives from them, nowhere else."""

    account_id: int | None
    kind: str
    base_url: str
    credentials: dict[str, str]
    options: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # never print credentials
        return f"AccountConfig(kind={self.kind!r}, base_url={self.base_url!r})"


@dataclass(frozen=True)
class RemoteRef:
    """Where a console campaign lives on the dialer: the vendor's id plus whatever else the
    adapter needs to address it again (a lead-list id, a name). JSON-serialisable."""

    remote_id: str
    extra: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"remote_id": self.remote_id, "extra": dict(self.extra)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RemoteRef | None:
        if not data or not data.get("remote_id"):
            return None
        return cls(remote_id=str(data["remote_id"]), extra=dict(data.get("extra") or {}))


@dataclass(frozen=True)
class AgentRef:
    name: str
    email: str = ""
    extension: str = ""
    remote_id: str = ""  # the agent's id on this vendor account, when known


@dataclass(frozen=True)
class NamedListRef:
    """A disposition list or pause-code list: its name, its id on this vendor account
    ("" when it has none there) and its codes as (code, label)."""

    name: str
    remote_id: str = ""
    codes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WindowDayRef:
    weekday: int  # 0 = Monday
    start: str  # HH:MM:SS
    end: str


@dataclass(frozen=True)
class CallingWindowRef:
    """When the campaign may dial: hours per weekday, in ``timezone`` ("" = the lead's own
    zone), and the window's id on this vendor account when it has one."""

    name: str
    remote_id: str = ""
    timezone: str = ""
    days: tuple[WindowDayRef, ...] = ()
    holidays: tuple[date, ...] = ()


@dataclass(frozen=True)
class CampaignSpec:
    """A console campaign as the adapter sees it. ``settings`` is the cleaned data of the
    vendor's own settings form (``vendors/adapters/<vendor>/forms.py``): its vendor-only
    fields. The fields the vendor's field map derives come from the attributes here."""

    name: str
    description: str = ""
    dial_method: str = ""
    caller_id: str = ""
    retry_count: int = 0
    retry_interval_minutes: int = 0
    wrap_up_seconds: int = 0
    ring_timeout_seconds: int = 30
    agents: tuple[AgentRef, ...] = ()
    disposition_list: NamedListRef | None = None
    pause_code_list: NamedListRef | None = None
    calling_window: CallingWindowRef | None = None
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AlternatePhone:
    phone: str
    kind: str = ""
    priority: int = 0


@dataclass(frozen=True)
class LeadRecord:
    """One lead to push. ``lead_id`` is the console's id: results are keyed by it."""

    lead_id: int
    phone: str  # E.164
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    timezone: str = ""
    priority: int = 0
    expires_on: date | None = None
    alternate_phones: tuple[AlternatePhone, ...] = ()
    custom_fields: dict[str, Any] = field(default_factory=dict)
    # From the campaign's calling window in the lead's place (``sync/window_gate.py``):
    # the first instant it may be called (now when its window is open) and when that
    # window closes; None without a calling window.
    call_from: datetime | None = None
    call_until: datetime | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class LeadOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # the dialer already holds it: counts as delivered
    REJECTED = "rejected"  # permanent for this lead (invalid number, bad field)
    DNC = "dnc"  # the dialer says the number is do-not-call
    # The dialer took the request but its reply says nothing per lead, and it could not be
    # asked yet: "sent, not yet confirmed", never counted as on the dialer.
    SENT = "sent"


@dataclass(frozen=True)
class LeadResult:
    lead_id: int
    outcome: LeadOutcome
    remote_id: str = ""
    message: str = ""


@dataclass(frozen=True)
class PushResult:
    results: tuple[LeadResult, ...]

    def by_outcome(self, outcome: LeadOutcome) -> list[LeadResult]:
        return [result for result in self.results if result.outcome == outcome]


@dataclass(frozen=True)
class PendingCount:
    """Calls still waiting on the dialer. ``pending`` is None when the vendor gives only a
    state (Ozonetel's Position), never a made-up number."""

    pending: int | None
    total: int | None = None
    state: str = ""
    fetched_at: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SettingDifference:
    """One campaign setting the dialer holds differently from what the console would send,
    by the vendor's own name for it."""

    name: str
    on_dialer: Any
    console: Any

    @property
    def words(self) -> str:
        """ "maxTryCount: the dialer has 5, the console 3"."""
        held, wanted = _shown(self.on_dialer), _shown(self.console)
        return f"{self.name}: the dialer has {held}, the console {wanted}"


def _shown(value: Any, limit: int = 40) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, list | tuple | set):
        value = ", ".join(str(item) for item in value) or "none"
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


@dataclass(frozen=True)
class RemoteCampaign:
    """A campaign that exists on the dialer, offered for linking (Voicenter)."""

    remote_id: str
    name: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteItem:
    """One thing a dialer lists for a settings field to pick (a campaign to link, a
    template campaign, a lead list): the dialer's id and name for it."""

    remote_id: str
    name: str


@dataclass(frozen=True)
class HealthResult:
    ok: bool
    message: str


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` calls per ``per_seconds`` for one vendor account, for the
    operations named (empty: every operation)."""

    requests: int
    per_seconds: float
    operations: tuple[str, ...] = ()


class DialOutcome(enum.StrEnum):
    """The console's codes for what a dialer reports, one set for every vendor: each
    adapter maps its vendor's raw statuses onto these through a dict, "" when none fits
    (the raw status is kept beside, so a mapping can be corrected and re-applied)."""

    ANSWERED = "ANSWERED"
    NO_ANSWER = "NO_ANSWER"
    BUSY = "BUSY"
    FAILED = "FAILED"
    CALLBACK = "CALLBACK"
    DNC = "DNC"
    ABANDONED = "ABANDONED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    MAX_TRIES = "MAX_TRIES"


@dataclass(frozen=True)
class CallRecord:
    """One dialling attempt in the vendor's call log (a CDR). ``record_id`` is the vendor's
    own id for it: filing the same record twice adds it once. The lead is found by
    ``lead_id`` (the console's id, where the call carried it back), else ``remote_id`` or
    ``phone``, as for ``DialResult``."""

    record_id: str
    at: datetime
    lead_id: int | None = None
    remote_id: str = ""
    phone: str = ""
    result_raw: str = ""
    outcome: str = ""
    agent: str = ""
    duration_seconds: int | None = None


@dataclass(frozen=True)
class DialResult:
    """The dialer's word on one lead, as its documented call gives it. The lead is found
    by ``remote_id`` (the id a push recorded) or, failing that, ``phone``. ``None`` in a
    field: the dialer does not say. ``result_raw`` is the vendor's status verbatim and
    ``outcome`` the console code it maps to ("" when none does)."""

    remote_id: str = ""
    phone: str = ""
    attempts: int | None = None
    last_attempt_at: datetime | None = None
    result_raw: str = ""
    outcome: str = ""
    next_attempt_at: datetime | None = None
    done: bool | None = None
    agent: str = ""
