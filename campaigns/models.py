"""Campaigns and what they are built from: agents, disposition lists, pause codes and
calling windows.

A campaign's vendor-specific settings are stored as JSON, validated by the vendor's own
form (``vendors/adapters/<vendor>/forms.py``) chosen by the vendor account's kind.
"""

from __future__ import annotations

import datetime
import zoneinfo

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_e164(value: str) -> None:
    message = _("Enter the mobile number in international form, for example +14155550123.")
    if not value.startswith("+"):
        raise ValidationError(message)
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(message) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message)
    if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value:
        raise ValidationError(message)


class Agent(models.Model):
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    extension = models.CharField(
        _("extension or SIP member code"),
        max_length=60,
        blank=True,
        help_text=_("Up to 60 characters."),
    )
    mobile = models.CharField(
        max_length=20,
        blank=True,
        validators=[validate_e164],
        help_text=_("E.164, e.g. +14155550123."),
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="agents"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="agent_name_id")]

    def __str__(self) -> str:
        return self.name


class AgentRemoteId(models.Model):
    """The agent's id on one vendor account: Acefone's ``agent`` id, Voicenter's
    ``Member``, Webitel's agent name."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="remote_ids")
    vendor_account = models.ForeignKey(
        "vendors.VendorAccount", on_delete=models.CASCADE, related_name="agent_ids"
    )
    remote_id = models.CharField(max_length=120)

    class Meta:
        ordering = ["vendor_account__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "vendor_account"], name="agent_remote_id_one_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} on {self.vendor_account}: {self.remote_id}"


class NamedCodeList(models.Model):
    """A named list of short codes (dispositions, pauses), shared by campaigns."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="%(class)s_name_id")]

    def __str__(self) -> str:
        return self.name


class DispositionList(NamedCodeList):
    pass


class DispositionCode(models.Model):
    disposition_list = models.ForeignKey(
        DispositionList, on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("short code"), max_length=20)
    label = models.CharField(max_length=120)
    is_final = models.BooleanField(_("final"), default=False)
    is_success = models.BooleanField(_("success"), default=False)
    is_callback = models.BooleanField(_("callback"), default=False)
    is_do_not_call = models.BooleanField(_("do not call"), default=False)
    retry_after_minutes = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["disposition_list", "code"], name="disposition_code_unique_in_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class PauseCodeList(NamedCodeList):
    """Reasons an agent gives for a break (Acefone's ``break_list``)."""


class PauseCode(models.Model):
    pause_code_list = models.ForeignKey(
        PauseCodeList, on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("short code"), max_length=20)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pause_code_list", "code"], name="pause_code_unique_in_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class TimezonePolicy(models.TextChoices):
    LEAD_LOCAL = "lead_local", _("The lead's local time")
    FIXED = "fixed", _("A fixed time zone")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# 47 CFR 64.1200(c)(1): no calls before 08:00 or after 21:00 at the called party's location.
DEFAULT_WINDOW_START = datetime.time(8, 0)
DEFAULT_WINDOW_END = datetime.time(21, 0)


class CallingWindow(models.Model):
    """When a campaign may dial: per-weekday hours (a weekday without a row is not
    dialled) and holidays, in the lead's local time or one fixed zone."""

    name = models.CharField(max_length=150, unique=True)
    timezone_policy = models.CharField(
        max_length=20, choices=TimezonePolicy.choices, default=TimezonePolicy.LEAD_LOCAL
    )
    fixed_timezone = models.CharField(
        max_length=64, blank=True, help_text=_("An IANA zone such as Europe/Berlin.")
    )
    skip_public_holidays = models.BooleanField(
        _("not on public holidays"),
        default=False,
        help_text=_(
            "Not on the public holidays of the lead's country, and of its US state or "
            "Canadian province where the number tells it."
        ),
    )
    skip_local_weekend = models.BooleanField(
        _("not on the lead's weekend"),
        default=False,
        help_text=_(
            "Not on the weekend days of the lead's country (Friday and Saturday in "
            "Israel, Saturday and Sunday in most others)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="callingwindow_name_id")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.timezone_policy != TimezonePolicy.FIXED:
            self.fixed_timezone = ""
            return
        if not self.fixed_timezone:
            raise ValidationError({"fixed_timezone": _("Give the time zone to call in.")})
        try:
            zoneinfo.ZoneInfo(self.fixed_timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                {"fixed_timezone": _("Unknown time zone: use a name such as Europe/Berlin.")}
            ) from None


class CallingWindowDay(models.Model):
    calling_window = models.ForeignKey(CallingWindow, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField(default=DEFAULT_WINDOW_START)
    end = models.TimeField(default=DEFAULT_WINDOW_END)

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["calling_window", "weekday"], name="calling_window_one_row_per_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="window_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class CallingWindowHoliday(models.Model):
    calling_window = models.ForeignKey(
        CallingWindow, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calling_window", "date"], name="calling_window_holiday_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.label}".strip()


class ListRemoteId(models.Model):
    """The id a disposition list, pause-code list or calling window has on one vendor
    account, where that vendor keeps such lists (Acefone's ``disposition_list``,
    ``break_list`` and ``time_group``, Webitel's calendar). Exactly one list is set."""

    disposition_list = models.ForeignKey(
        DispositionList, null=True, blank=True, on_delete=models.CASCADE, related_name="remote_ids"
    )
    pause_code_list = models.ForeignKey(
        PauseCodeList, null=True, blank=True, on_delete=models.CASCADE, related_name="remote_ids"
    )
    calling_window = models.ForeignKey(
        CallingWindow, null=True, blank=True, on_delete=models.CASCADE, related_name="remote_ids"
    )
    vendor_account = models.ForeignKey(
        "vendors.VendorAccount", on_delete=models.CASCADE, related_name="list_ids"
    )
    remote_id = models.CharField(max_length=120)

    class Meta:
        ordering = ["vendor_account__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        disposition_list__isnull=False,
                        pause_code_list__isnull=True,
                        calling_window__isnull=True,
                    )
                    | models.Q(
                        disposition_list__isnull=True,
                        pause_code_list__isnull=False,
                        calling_window__isnull=True,
                    )
                    | models.Q(
                        disposition_list__isnull=True,
                        pause_code_list__isnull=True,
                        calling_window__isnull=False,
                    )
                ),
                name="list_remote_id_one_list",
            ),
            *(
                models.UniqueConstraint(
                    fields=[owner, "vendor_account"],
                    condition=models.Q(**{f"{owner}__isnull": False}),
                    name=f"{owner}_remote_id_one_per_account",
                )
                for owner in ("disposition_list", "pause_code_list", "calling_window")
            ),
        ]

    def __str__(self) -> str:
        owner = self.disposition_list or self.pause_code_list or self.calling_window
        return f"{owner} on {self.vendor_account}: {self.remote_id}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")
    ARCHIVED = "archived", _("Archived")


# The only legal status changes; everything else is refused by campaign_transition.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.ACTIVE, CampaignStatus.ARCHIVED}),
    CampaignStatus.ACTIVE: frozenset({CampaignStatus.PAUSED, CampaignStatus.STOPPED}),
    CampaignStatus.PAUSED: frozenset({CampaignStatus.ACTIVE, CampaignStatus.STOPPED}),
    CampaignStatus.STOPPED: frozenset({CampaignStatus.ACTIVE, CampaignStatus.ARCHIVED}),
    CampaignStatus.ARCHIVED: frozenset(),
}


class DialMethod(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    PROGRESSIVE = "progressive", _("Progressive")
    PREDICTIVE = "predictive", _("Predictive")
    RATIO = "ratio", _("Ratio")
    BROADCAST = "broadcast", _("Voice broadcast")


class Campaign(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("Team leads of this team can read the campaign."),
    )
    vendor_account = models.ForeignKey(
        "vendors.VendorAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("May stay empty while the campaign is a draft."),
    )
    dial_method = models.CharField(
        max_length=20, choices=DialMethod.choices, default=DialMethod.PROGRESSIVE
    )
    caller_id = models.CharField(_("caller ID"), max_length=40, blank=True)
    lead_lists = models.ManyToManyField(
        "leads.LeadList", through="CampaignLeadList", related_name="campaigns", blank=True
    )
    agents = models.ManyToManyField(Agent, related_name="campaigns", blank=True)
    disposition_list = models.ForeignKey(
        DispositionList, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    pause_code_list = models.ForeignKey(
        PauseCodeList, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    calling_window = models.ForeignKey(
        CallingWindow, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    retry_count = models.PositiveSmallIntegerField(default=3)
    retry_interval_minutes = models.PositiveIntegerField(default=60)
    wrap_up_seconds = models.PositiveIntegerField(default=30)
    ring_timeout_seconds = models.PositiveIntegerField(default=30)
    status = models.CharField(
        max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, editable=False
    )
    vendor_settings = models.JSONField(default=dict, blank=True)
    # Vendor settings the campaign's own fields replaced (the field map, issue #12): the
    # vendor field -> the value the dialer had, shown until the next sync sends the
    # campaign's value.
    replaced_vendor_values = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status"]),
            # The campaign list's sortable columns (dialer_console.keyset), id breaking ties.
            models.Index(fields=["updated_at", "id"], name="campaign_updated_id"),
            models.Index(fields=["created_at", "id"], name="campaign_created_id"),
            models.Index(fields=["name", "id"], name="campaign_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def vendor_kind(self) -> str:
        return self.vendor_account.kind if self.vendor_account_id else ""

    def can_transition_to(self, status: str) -> bool:
        return status in STATUS_TRANSITIONS[self.status]


class CampaignLeadList(models.Model):
    """A lead list in a campaign, in dialling order, switched on or off."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="list_links")
    lead_list = models.ForeignKey(
        "leads.LeadList", on_delete=models.PROTECT, related_name="campaign_links"
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "lead_list"], name="campaign_lead_list_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ← {self.lead_list}"


class LeadDisposition(models.Model):
    """The outcome recorded for one lead in one campaign. The code's label and flags are
    copied when it is recorded: a disposition list may be edited later (its codes are
    replaced), and the history must still say what was chosen and what it meant."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="dispositions")
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="dispositions")
    code = models.CharField(_("short code"), max_length=20)
    label = models.CharField(max_length=120)
    is_final = models.BooleanField(_("final"), default=False)
    is_success = models.BooleanField(_("success"), default=False)
    is_callback = models.BooleanField(_("callback"), default=False)
    is_do_not_call = models.BooleanField(_("do not call"), default=False)
    callback_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The code's retry-after minutes from when it was recorded."),
    )
    note = models.CharField(max_length=500, blank=True)
    # The sync job that reports the result to the dialer (Webitel, when the campaign waits
    # for result status); a plain id so this app does not depend on sync's migrations.
    call_result_job_id = models.BigIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "lead", "-recorded_at"], name="disposition_latest"),
            models.Index(fields=["campaign", "is_final", "lead"], name="disposition_final"),
        ]

    def __str__(self) -> str:
        return f"{self.code} for lead {self.lead_id} in campaign {self.campaign_id}"
