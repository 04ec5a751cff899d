"""The do-not-call list: adding numbers (one or thousands), editing an entry's expiry and
removing it. Adding a number takes effect at once on the leads still waiting to be
dialled in its scope (``dnc_leads_apply``); removing one never brings a lead back."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import LeadChangeKind
from audit.services import BULK_IDS_KEPT, audit_bulk, lead_changes_record
from dialer_console.errors import ApplicationError
from leads.models import DncEntry, DncScope, Lead, LeadList, LeadStatus
from leads.phones import phone_normalise
from leads.selectors import campaign_exists, campaign_lead_list_ids, dnc_entry_may_manage
from sync.models import LeadSync, LeadSyncState
from sync.services.hooks import sync_on_lead_removed

DNC_MAX_NUMBERS = 10_000
# IN lists are cut to this size: SQLite caps a statement's parameters, and PostgreSQL
# plans a short list better.
_CHUNK = 500
_SEPARATORS = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class DncTarget:
    """Where entries apply: everywhere, one campaign (by id) or one lead list."""

    scope: str
    campaign_id: int | None = None
    lead_list: LeadList | None = None

    def entries(self):
        entries = DncEntry.objects.filter(scope=self.scope)
        if self.scope == DncScope.CAMPAIGN:
            return entries.filter(campaign_id=self.campaign_id)
        if self.scope == DncScope.LIST:
            return entries.filter(lead_list=self.lead_list)
        return entries


@dataclass(frozen=True)
class DncNumber:
    index: int  # position in the input, from 0
    line: int  # line of the pasted text, from 1
    text: str
    e164: str = ""
    message: str = ""


@dataclass
class DncAddResult:
    numbers: list[DncNumber]
    # e164 -> outcome: added, renewed (was there but expired) or already_listed
    outcomes: dict[str, str] = field(default_factory=dict)
    entry_ids: dict[str, int] = field(default_factory=dict)
    leads_marked: list[int] = field(default_factory=list)

    @property
    def invalid(self) -> list[DncNumber]:
        return [number for number in self.numbers if not number.e164]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(self.outcomes.values())
        return {
            "added": counted["added"],
            "renewed": counted["renewed"],
            "already_listed": counted["already_listed"],
            "invalid": len(self.invalid),
            "repeated": sum(1 for n in self.numbers if n.e164) - len(self.outcomes),
            "leads_marked_dnc": len(self.leads_marked),
        }

    def outcome_of(self, number: DncNumber) -> str:
        return self.outcomes.get(number.e164, "invalid") if number.e164 else "invalid"


def dnc_numbers_split(text: str) -> list[tuple[int, str]]:
    """(line, text) of each number in pasted text: one a line, or separated by commas or
    semicolons. Blank items are skipped."""
    numbers = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for item in _SEPARATORS.split(line):
            if item.strip():
                numbers.append((line_number, item.strip()))
    return numbers


def dnc_numbers_read(*, numbers: list[tuple[int, str]], country: str) -> list[DncNumber]:
    """Each number in E.164, or why it is not a number, in input order."""
    if not numbers:
        raise ApplicationError(gettext("Enter at least one phone number."), {"field": "numbers"})
    if len(numbers) > DNC_MAX_NUMBERS:
        raise ApplicationError(
            gettext(
                "At most %(dnc_max_numbers)s numbers can be added at once; this was "
                "%(count)s. Split the list and add it in parts."
            )
            % {"dnc_max_numbers": format(DNC_MAX_NUMBERS, ","), "count": format(len(numbers), ",")},
            {"field": "numbers", "count": len(numbers)},
        )
    read = []
    for index, (line, text) in enumerate(numbers):
        normalised = phone_normalise(text, country.upper()) if 0 < len(text) <= 64 else None
        if not text.strip():
            read.append(DncNumber(index, line, text, message=gettext("The phone number is empty.")))
        elif normalised is None:
            message = gettext(
                "“%(value)s” is not a valid phone number when read as %(country)s."
            ) % {"value": text[:64], "country": country.upper()}
            read.append(DncNumber(index, line, text, message=message))
        else:
            read.append(DncNumber(index, line, text, e164=normalised.e164))
    return read


def dnc_target_check(*, target: DncTarget, acting_user) -> None:
    """The scope has its target, the target exists, and the user may list numbers there:
    supervisors anywhere, everyone else on their own team's lead lists only (no user: the
    console's own rules, such as a do-not-call disposition)."""
    if target.scope not in DncScope.values:
        raise ApplicationError(
            gettext("“%(scope)s” is not a scope.") % {"scope": target.scope}, {"field": "scope"}
        )
    if target.scope == DncScope.CAMPAIGN:
        if target.campaign_id is None:
            raise ApplicationError(gettext("Choose the campaign."), {"field": "campaign"})
        if not campaign_exists(campaign_id=target.campaign_id):
            raise ApplicationError(
                gettext("There is no campaign %(campaign_id)s.")
                % {"campaign_id": target.campaign_id},
                {"field": "campaign"},
            )
    if target.scope == DncScope.LIST and target.lead_list is None:
        raise ApplicationError(gettext("Choose the lead list."), {"field": "lead_list"})
    if acting_user is None or acting_user.is_supervisor:
        return
    own_list = (
        target.scope == DncScope.LIST
        and target.lead_list.team_id is not None
        and target.lead_list.team_id == acting_user.team_id
    )
    if not own_list:
        raise ApplicationError(
            gettext(
                "You can list numbers only on your own team's lead lists; a supervisor "
                "manages the numbers listed everywhere or for a campaign."
            ),
            {"field": "scope"},
        )


def dnc_entries_add(
    *,
    numbers: list[tuple[int, str]],
    country: str,
    target: DncTarget,
    acting_user,
    reason: str = "",
    source: str = "console",
    expires_at: datetime | None = None,
) -> DncAddResult:
    """List up to DNC_MAX_NUMBERS numbers in one scope. Invalid numbers are reported and
    the valid ones added anyway; a number already listed in the scope is not added twice
    (an expired listing is renewed with the new reason and expiry). Leads waiting to be
    dialled with an added number become DNC (``dnc_leads_apply``)."""
    dnc_target_check(target=target, acting_user=acting_user)
    return _entries_add(
        numbers=numbers,
        country=country,
        target=target,
        created_by=acting_user,
        reason=reason,
        source=source,
        expires_at=expires_at,
    )


def _entries_add(*, numbers, country, target, created_by, reason, source, expires_at):
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ApplicationError(
            gettext("The expiry must be in the future."), {"field": "expires_at"}
        )
    result = DncAddResult(numbers=dnc_numbers_read(numbers=numbers, country=country))
    phones = list(dict.fromkeys(n.e164 for n in result.numbers if n.e164))
    values = {"reason": reason[:200], "source": source[:100], "expires_at": expires_at}
    with transaction.atomic():
        for start in range(0, len(phones), _CHUNK):
            _add_chunk(result, phones[start : start + _CHUNK], target, values, created_by, now)
        listed = [p for p, outcome in result.outcomes.items() if outcome != "already_listed"]
        result.leads_marked = dnc_leads_apply(phones=listed, target=target)
        _audit_added(result, target, values)
    return result


def _audit_added(result, target, values: dict) -> None:
    """One entry for the numbers listed or renewed (``bulk_create`` and ``update`` send
    no model signal): counts, entry ids, and the leads the listing marked."""
    counts = Counter(result.outcomes.values())
    changed = [
        result.entry_ids[phone]
        for phone, outcome in result.outcomes.items()
        if outcome != "already_listed" and result.entry_ids.get(phone)
    ]
    if not changed:
        return
    audit_bulk(
        model=DncEntry,
        action="add",
        count=len(changed),
        ids=changed,
        filters={
            "scope": target.scope,
            "campaign_id": target.campaign_id,
            "lead_list_id": target.lead_list.pk if target.lead_list else None,
        },
        changes={
            "reason": [None, values["reason"]],
            "expires_at": [
                None,
                values["expires_at"].isoformat() if values["expires_at"] else None,
            ],
        },
        summary=(
            f"{counts['added']:,} number(s) listed, {counts['renewed']:,} renewed; "
            f"{len(result.leads_marked):,} lead(s) marked do-not-call"
        ),
    )


def _add_chunk(result, phones, target, values, created_by, now) -> None:
    existing = {e.phone: e for e in target.entries().filter(phone__in=phones)}
    expired = [e.pk for e in existing.values() if not e.is_active_at(now)]
    if expired:
        # A renewed listing is a new decision: who made it and when replace the old ones.
        DncEntry.objects.filter(pk__in=expired).update(
            **values, created_by=created_by, created_at=now
        )
    new = [
        DncEntry(
            phone=phone,
            scope=target.scope,
            campaign_id=target.campaign_id,
            lead_list=target.lead_list,
            created_by=created_by,
            **values,
        )
        for phone in phones
        if phone not in existing
    ]
    # ignore_conflicts: someone adding the same number at this moment wins, not an error.
    DncEntry.objects.bulk_create(new, ignore_conflicts=True)
    ids = dict(target.entries().filter(phone__in=phones).values_list("phone", "id"))
    for phone in phones:
        entry = existing.get(phone)
        if entry is None:
            result.outcomes[phone] = "added"
        else:
            result.outcomes[phone] = "renewed" if entry.pk in expired else "already_listed"
        result.entry_ids[phone] = ids.get(phone)


def dnc_leads_apply(*, phones: list[str], target: DncTarget) -> list[int]:
    """Leads with these numbers still waiting to be dialled (status new) in the target's
    scope become DNC, set-based: their lists' kept counts move (valid → DNC) and each lead
    a dialer holds or is about to get is taken off it (``sync_on_lead_removed``), in the
    caller's transaction. Returns the ids of the leads marked."""
    leads = Lead.objects.filter(status=LeadStatus.NEW)
    if target.scope == DncScope.LIST:
        leads = leads.filter(lead_list=target.lead_list)
    elif target.scope == DncScope.CAMPAIGN:
        leads = leads.filter(
            lead_list_id__in=campaign_lead_list_ids(campaign_id=target.campaign_id)
        )
    marked: list[int] = []
    for start in range(0, len(phones), _CHUNK):
        chunk = leads.filter(phone__in=phones[start : start + _CHUNK])
        rows = list(chunk.select_for_update().values_list("id", "lead_list_id"))
        if rows:
            _mark_dnc(rows)
            marked.extend(lead_id for lead_id, _ in rows)
    return marked


def _mark_dnc(rows: list[tuple[int, int]]) -> None:
    ids = [lead_id for lead_id, _ in rows]
    lead_changes_record(ids=ids, kind=LeadChangeKind.DNC_LISTED, after={"status": LeadStatus.DNC})
    Lead.objects.filter(pk__in=ids).update(status=LeadStatus.DNC, updated_at=timezone.now())
    for lead_list_id, moved in Counter(list_id for _, list_id in rows).items():
        LeadList.objects.filter(pk=lead_list_id).update(
            valid_count=Greatest(F("valid_count") - moved, 0), dnc_count=F("dnc_count") + moved
        )
    # Only leads with a sync row a dialer may act on need the hook; the rest never left
    # the console (the hook would look and do nothing, one query per lead).
    on_dialers = (
        LeadSync.objects.filter(
            lead_id__in=ids,
            state__in=(LeadSyncState.PENDING, LeadSyncState.SENDING, LeadSyncState.PUSHED),
        )
        .values_list("lead_id", flat=True)
        .distinct()
    )
    for lead in Lead.objects.filter(pk__in=set(on_dialers)).order_by("id"):
        sync_on_lead_removed(lead=lead)


def dnc_entry_create(
    *,
    phone: str,
    scope: str = DncScope.EVERYWHERE,
    campaign_id: int | None = None,
    lead_list: LeadList | None = None,
    reason: str = "",
    source: str = "",
    expires_at=None,
    country: str = "US",
    acting_user=None,
) -> DncEntry:
    """List one number (or find it listed) for the console's own rules, such as a
    do-not-call disposition; it applies to waiting leads as ``dnc_entries_add`` does.
    An invalid number is an ApplicationError."""
    target = DncTarget(
        scope=scope,
        campaign_id=campaign_id if scope == DncScope.CAMPAIGN else None,
        lead_list=lead_list if scope == DncScope.LIST else None,
    )
    dnc_target_check(target=target, acting_user=None)
    result = _entries_add(
        numbers=[(1, phone)],
        country=country,
        target=target,
        created_by=acting_user,
        reason=reason,
        source=source,
        expires_at=expires_at,
    )
    if result.invalid:
        raise ApplicationError(
            gettext("%(phone)s is not a valid phone number.") % {"phone": repr(phone)},
            {"field": "phone"},
        )
    return DncEntry.objects.get(pk=result.entry_ids[result.numbers[0].e164])


def dnc_entry_manage_check(*, entry: DncEntry, acting_user) -> None:
    if not dnc_entry_may_manage(entry=entry, user=acting_user):
        raise ApplicationError(
            gettext(
                "Only a supervisor can change this entry: you manage the numbers of your own "
                "team's lead lists."
            )
        )


def dnc_entry_update(*, entry: DncEntry, data: dict, acting_user) -> DncEntry:
    """Change an entry's reason or expiry. An expiry in the past ends the listing now; a
    listing that starts to apply again (expiry cleared or moved later) takes effect on
    waiting leads, as adding it does."""
    dnc_entry_manage_check(entry=entry, acting_user=acting_user)
    now = timezone.now()
    was_active = entry.is_active_at(now)
    if "reason" in data:
        entry.reason = (data["reason"] or "")[:200]
    if "expires_at" in data:
        entry.expires_at = data["expires_at"]
    with transaction.atomic():
        entry.save(update_fields=["reason", "expires_at"])
        if not was_active and entry.is_active_at(now):
            target = DncTarget(entry.scope, entry.campaign_id, entry.lead_list)
            dnc_leads_apply(phones=[entry.phone], target=target)
    return entry


def dnc_entry_delete(*, entry: DncEntry, acting_user) -> None:
    """Take a number off the list in one scope. Leads already marked DNC stay DNC: whether
    to call them again is a decision for a person, lead by lead."""
    dnc_entry_manage_check(entry=entry, acting_user=acting_user)
    entry.delete()


@dataclass
class DncBulkDeleteResult:
    removed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # entry id, reason

    def as_dict(self) -> dict:
        return {
            "done": self.removed,
            "skipped": len(self.skipped),
            "skipped_reasons": [{"id": pk, "reason": reason} for pk, reason in self.skipped],
        }


def dnc_entries_bulk_delete(*, entry_ids: list[int], acting_user) -> DncBulkDeleteResult:
    """Take several numbers off the list at once, by the rules of ``dnc_entry_delete``:
    an entry the user cannot see or may not manage is skipped with the reason. Leads
    already marked DNC stay DNC."""
    from leads.selectors import dnc_entries_visible

    result = DncBulkDeleteResult()
    visible = {
        entry.pk: entry for entry in dnc_entries_visible(user=acting_user).filter(pk__in=entry_ids)
    }
    removable = []
    for pk in dict.fromkeys(entry_ids):
        entry = visible.get(pk)
        if entry is None:
            result.skipped.append((pk, gettext("not found, or not an entry you may see")))
        elif not dnc_entry_may_manage(entry=entry, user=acting_user):
            result.skipped.append(
                (pk, gettext("%(phone)s: only a supervisor can remove it") % {"phone": entry.phone})
            )
        else:
            removable.append(pk)
    with transaction.atomic(), disable_auditlog():
        for start in range(0, len(removable), _CHUNK):
            deleted, _ = DncEntry.objects.filter(pk__in=removable[start : start + _CHUNK]).delete()
            result.removed += deleted
        if removable:
            phones = [visible[pk].phone for pk in removable]
            audit_bulk(
                model=DncEntry,
                action="remove",
                count=result.removed,
                ids=removable,
                changes={"phone": [phones[:BULK_IDS_KEPT], None]},
            )
    return result
