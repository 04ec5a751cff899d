"""Erasing a person (GDPR Art. 17; Israel's Privacy Protection Law §14; India's DPDP Act
§12), found by number or e-mail address across every lead list.

What happens to each table is declared in ``privacy.registry``; in short:
- the person's leads keep their rows (list counts, results and call attempts count them)
  with every personal field emptied, custom fields included, and status "removed";
- each dialer holding one gets the removal through the sync (``sync_on_lead_removed``);
  the number stays on that lead until every dialer dropped it (Voicenter and Ozonetel
  remove a member by its number), then ``erasures_finish`` blanks it and scrubs what the
  removal logged;
- rows that exist only for the person (staging rows, rejections naming them, DNC entries
  and DNC-file lines, the per-lead history) are deleted;
- logs and free text have the number and the address replaced by "(erased)";
- the number goes on the do-not-call list as a keyed hash when asked for, and always when
  it was listed before (an erasure must not make a person callable again);
- stored upload files are not edited: they are purged UPLOAD_RETENTION_DAYS after their
  job finished (``upload_files_purge``).
The erasure's own record says who, when and how many rows per table, never whom.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.access import team_scope
from audit.models import LeadChange
from audit.services import audit_record
from campaigns.models import LeadDisposition
from dialer_console.errors import ApplicationError
from leads.dnc_hashed import hashed_dnc_add
from leads.models import (
    DncEntry,
    DncFileJob,
    DncFileLine,
    DncFileState,
    ImportJob,
    ImportRejection,
    ImportStagingRow,
    Lead,
    LeadList,
    LeadStatus,
)
from leads.phones import phone_normalise
from leads.services.lead_lists import lead_list_counts_refresh
from privacy.models import ErasureHold, ErasureState, PersonErasure
from privacy.registry import ERASED, SCRUBBED, personal_fields
from sync.models import OPEN_STATES, LeadSync, LeadSyncState, SyncJob
from sync.services.hooks import sync_on_lead_removed

# A dialer may hold a lead in these states (PENDING: queued for one).
HELD_STATES = (LeadSyncState.PENDING, LeadSyncState.SENDING, LeadSyncState.PUSHED)
MIN_NATIONAL_DIGITS = 7  # shorter national forms would match other numbers' digits


@dataclass(frozen=True)
class Person:
    """Whom to find: a number in E.164 and/or an e-mail address (lower case)."""

    phone: str = ""
    email: str = ""

    @property
    def searched_by(self) -> list[str]:
        return [name for name in ("phone", "email") if getattr(self, name)]


def person_read(*, phone: str = "", country: str = "", email: str = "") -> Person:
    """Read the search as the imports read numbers (phonenumbers, the list's country for
    a national number); a clear message for anything else."""
    phone, email, country = phone.strip(), email.strip(), (country or "").strip().upper()
    if not phone and not email:
        raise ApplicationError("Give a phone number or an e-mail address.", {"field": "phone"})
    e164 = ""
    if phone:
        normalised = phone_normalise(phone, country) if len(phone) <= 64 else None
        if normalised is None:
            read_as = f" when read as {country}" if country else " (give a country, or +)"
            raise ApplicationError(
                f"“{phone[:64]}” is not a valid phone number{read_as}.", {"field": "phone"}
            )
        e164 = normalised.e164
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(
                f"“{email[:254]}” is not an e-mail address.", {"field": "email"}
            ) from None
    return Person(phone=e164, email=email.lower())


def _check_may_erase(user) -> None:
    if not user.has_perm("privacy.add_personerasure"):
        raise ApplicationError("Only supervisors erase a person.", {"code": "forbidden"})


def person_leads(person: Person, *, user) -> QuerySet[Lead]:
    """Every lead of the person in the lists ``user`` may see (``team_scope``): by number
    (main or alternate) or address. Erasure is a supervisor's
    (``privacy.add_personerasure``), who sees every team: so every list."""
    match = Q(pk__in=[])
    if person.phone:
        match |= Q(phone=person.phone) | Q(alternate_phones__contains=[{"phone": person.phone}])
    if person.email:
        match |= Q(email__iexact=person.email)
    leads = team_scope(Lead.objects.filter(match), user, "lead_list__team")
    return leads.select_related("lead_list__team").order_by("id")


def _numbers(person: Person, leads: Iterable[Lead]) -> list[str]:
    """The person's numbers: the one searched and each of their leads' numbers."""
    numbers = {person.phone} if person.phone else set()
    for lead in leads:
        if lead.phone:
            numbers.add(lead.phone)
        numbers.update(
            entry["phone"]
            for entry in lead.alternate_phones or []
            if isinstance(entry, dict) and entry.get("phone")
        )
    return sorted(numbers)


def needles_for(*, numbers: Iterable[str], emails: Iterable[str]) -> list[str]:
    """What to look for in free text: each number as E.164, as its digits, and as its
    national digits (the form a file or a vendor body may use), and each address."""
    found = set()
    for number in numbers:
        found.update({number, number.lstrip("+")})
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            continue
        national = re.sub(r"\D", "", phonenumbers.format_number(parsed, 2))
        if len(national) >= MIN_NATIONAL_DIGITS:
            found.add(national)
    found.update(email.lower() for email in emails if email)
    return sorted(found, key=len, reverse=True)


def _emails(person: Person, leads: Iterable[Lead]) -> list[str]:
    return sorted({person.email, *(lead.email.lower() for lead in leads)} - {""})


# --- Free text ----------------------------------------------------------------------


def _text_match(field: str, needles: list[str], is_json: bool) -> tuple[Q, dict]:
    column = f"_privacy_{field}"
    annotation = {column: Cast(field, TextField())} if is_json else {}
    name = column if is_json else field
    match = Q(pk__in=[])
    for needle in needles:
        match |= Q(**{f"{name}__icontains": needle})
    return match, annotation


def rows_mentioning(model, fields: list[str], needles: list[str]) -> QuerySet:
    """Rows of ``model`` whose ``fields`` contain any of ``needles`` (case aside)."""
    queryset = model._base_manager.all()
    match = Q(pk__in=[])
    for field in fields:
        is_json = model._meta.get_field(field).get_internal_type() == "JSONField"
        condition, annotation = _text_match(field, needles, is_json)
        queryset = queryset.annotate(**annotation)
        match |= condition
    return queryset.filter(match) if needles else queryset.none()


def _replacer(needles: list[str]):
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)

    def replace(value):
        if isinstance(value, str):
            return pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [replace(item) for item in value]
        if isinstance(value, dict):
            return {replace(key): replace(item) for key, item in value.items()}
        return value

    return replace


# Rows the sync still needs as they are while a dialer holds the person's lead: the open
# removal jobs (their payload carries the number) and the rows naming the remote member.
_WHILE_HELD = {
    "sync.SyncJob": Q(state__in=OPEN_STATES),
    "sync.LeadSync": Q(state__in=HELD_STATES),
}


# Tables with a row per lead (tens of millions: leads times campaigns) are searched among
# the person's leads' rows only: a row there speaks of its own lead.
_PER_LEAD = {"sync.LeadSync"}


def scrubbed_rows(label: str, needles: list[str], lead_ids: list[int]) -> QuerySet:
    model = apps.get_model(label)
    rows = rows_mentioning(model, personal_fields(SCRUBBED)[label], needles)
    return rows.filter(lead_id__in=lead_ids) if label in _PER_LEAD else rows


def scrub_text(*, needles: list[str], lead_ids: list[int], keep_sync_rows: bool) -> dict:
    """Replace ``needles`` by "(erased)" in every SCRUBBED column of the registry; rows
    changed per model. Each row is rewritten through an UPDATE of its own columns (no
    model signals: an audit entry of the scrub would repeat what it removed)."""
    if not needles:
        return {}
    replace = _replacer(needles)
    counts = {}
    for label, fields in personal_fields(SCRUBBED).items():
        model = apps.get_model(label)
        rows = scrubbed_rows(label, needles, lead_ids)
        if keep_sync_rows and label in _WHILE_HELD:
            rows = rows.exclude(_WHILE_HELD[label])
        changed = 0
        for row in rows.values("pk", *fields):
            values = {field: replace(row[field]) for field in fields}
            changed += model._base_manager.filter(pk=row["pk"]).update(**values)
        if changed:
            counts[label] = changed
    return counts


# --- What is held -------------------------------------------------------------------


@dataclass
class Findings:
    person: Person
    leads: list[Lead]
    numbers: list[str]
    needles: list[str]
    # "app.Model" -> rows that would be deleted or scrubbed
    rows: dict[str, int]

    @property
    def found(self) -> bool:
        return bool(self.leads) or any(self.rows.values())

    @property
    def table_rows(self) -> list[tuple[str, str, int]]:
        """(table, what the erasure does to its rows, rows) for each table holding any."""
        shown = []
        for label, count in self.rows.items():
            if count:
                model = apps.get_model(label)
                how = "scrubbed" if label in personal_fields(SCRUBBED) else "deleted"
                shown.append((str(model._meta.verbose_name_plural).capitalize(), how, count))
        return shown


def _deleted_rows(person: Person, numbers: list[str], emails: list[str], needles, lead_ids):
    staging = Q(phone__in=numbers) | Q(pk__in=[])
    for email in emails:
        staging |= Q(email__iexact=email)
    return {
        "leads.ImportStagingRow": ImportStagingRow.objects.filter(staging),
        "leads.ImportRejection": rows_mentioning(ImportRejection, ["detail"], needles),
        "leads.DncEntry": DncEntry.objects.filter(phone__in=numbers),
        "leads.DncFileLine": DncFileLine.objects.filter(
            Q(phone__in=numbers)
            | Q(pk__in=rows_mentioning(DncFileLine, ["text"], needles).values("pk"))
        ),
        "audit.LeadChange": LeadChange.objects.filter(lead_id__in=lead_ids),
    }


def person_findings(person: Person, *, user) -> Findings:
    """Everything the console holds about the person, before erasing it."""
    _check_may_erase(user)
    leads = list(
        person_leads(person, user=user)
        .annotate(attempts_count=Count("call_attempts"))
        .prefetch_related("results__campaign", "syncs__campaign")
    )
    numbers = _numbers(person, leads)
    emails = _emails(person, leads)
    needles = needles_for(numbers=numbers, emails=emails)
    lead_ids = [lead.pk for lead in leads]
    rows = {
        label: queryset.count()
        for label, queryset in _deleted_rows(person, numbers, emails, needles, lead_ids).items()
    }
    for label in personal_fields(SCRUBBED):
        rows[label] = scrubbed_rows(label, needles, lead_ids).count()
    return Findings(person, leads, numbers, needles, rows)


# --- Erasing ------------------------------------------------------------------------


@transaction.atomic
def person_erase(*, person: Person, acting_user, dnc: bool = False) -> PersonErasure:
    """Erase everything the console holds about ``person`` (see the module's docstring)."""
    _check_may_erase(acting_user)
    leads = list(person_leads(person, user=acting_user).select_for_update(of=("self",)))
    numbers = _numbers(person, leads)
    emails = _emails(person, leads)
    needles = needles_for(numbers=numbers, emails=emails)
    lead_ids = [lead.pk for lead in leads]
    erasure = PersonErasure.objects.create(requested_by=acting_user, searched_by=person.searched_by)
    counts: dict[str, int] = {}
    with disable_auditlog():
        listed = set(DncEntry.objects.filter(phone__in=numbers).values_list("phone", flat=True))
        for label, rows in _deleted_rows(person, numbers, emails, needles, lead_ids).items():
            ids = list(rows.values_list("pk", flat=True))
            count, _ = rows.model._base_manager.filter(pk__in=ids).delete()
            if count:
                counts[label] = count
        # With ``dnc`` every number of the person; without, the numbers that were listed.
        to_hash = set(numbers) if dnc else listed
        if to_hash:
            erasure.dnc_listed = True
            counts["leads.DncHashedEntry"] = sum(hashed_dnc_add(number) for number in to_hash)
        held = _held_lead_ids(lead_ids)
        # A lead an earlier erasure still waits for is that erasure's to finish.
        waited_for = set(
            ErasureHold.objects.filter(lead_id__in=held).values_list("lead_id", flat=True)
        )
        counts.update(_leads_clear(leads, held=held, new_holds=held - waited_for, erasure=erasure))
        counts.update(scrub_text(needles=needles, lead_ids=lead_ids, keep_sync_rows=bool(held)))
    erasure.counts = {label: count for label, count in counts.items() if count}
    erasure.save()
    if not held - waited_for:
        _finish(erasure, now=timezone.now())
    audit_record(
        instance=erasure,
        action=LogEntry.Action.CREATE,
        changes={"counts": [None, erasure.counts], "dnc_listed": [None, erasure.dnc_listed]},
        note="A person was erased: the entry names the tables, not the person.",
    )
    return erasure


def _held_lead_ids(lead_ids: list[int]) -> set[int]:
    rows = LeadSync.objects.filter(
        lead_id__in=lead_ids,
        state__in=HELD_STATES,
        campaign__vendor_account__isnull=False,
    )
    return set(rows.values_list("lead_id", flat=True))


def _leads_clear(
    leads: list[Lead], *, held: set[int], new_holds: set[int], erasure: PersonErasure
) -> dict:
    if not leads:
        return {}
    lead_ids = [lead.pk for lead in leads]
    cleared = {
        "first_name": "",
        "last_name": "",
        "email": "",
        "timezone": "",
        "alternate_phones": [],
        "custom_fields": {},
        "status": LeadStatus.REMOVED,
        "updated_at": timezone.now(),
    }
    Lead.objects.filter(pk__in=lead_ids).update(**cleared)
    Lead.objects.filter(pk__in=lead_ids).exclude(pk__in=held).update(phone="")
    notes = LeadDisposition.objects.filter(lead_id__in=lead_ids).exclude(note="").update(note="")
    reason = f"Erasure #{erasure.pk}"
    for lead in leads:
        if lead.pk in new_holds:
            ErasureHold.objects.create(erasure=erasure, lead_id=lead.pk)
            sync_on_lead_removed(lead=lead, reason=reason)
    for lead_list in LeadList.objects.filter(pk__in={lead.lead_list_id for lead in leads}):
        lead_list_counts_refresh(lead_list=lead_list)
    counts = {"leads.Lead": len(lead_ids)}
    if notes:
        counts["campaigns.LeadDisposition"] = notes
    return counts


def _finish(erasure: PersonErasure, *, now) -> None:
    erasure.state = ErasureState.DONE
    erasure.finished_at = now
    erasure.save(update_fields=["state", "finished_at"])


def erasures_finish() -> int:
    """Finish each waiting erasure whose leads no dialer holds any more: blank the leads'
    numbers and scrub them from the rows the sync kept until then (the removal jobs, the
    call log of the removal). How many finished."""
    finished = 0
    for erasure in PersonErasure.objects.filter(state=ErasureState.WAITING).order_by("pk"):
        with transaction.atomic():
            erasure = PersonErasure.objects.select_for_update().get(pk=erasure.pk)
            lead_ids = list(erasure.holds.values_list("lead_id", flat=True))
            if erasure.state != ErasureState.WAITING or _held_lead_ids(lead_ids):
                continue
            leads = Lead.objects.filter(pk__in=lead_ids)
            numbers = sorted({lead.phone for lead in leads if lead.phone})
            with disable_auditlog():
                counts = scrub_text(
                    needles=needles_for(numbers=numbers, emails=()),
                    lead_ids=lead_ids,
                    keep_sync_rows=False,
                )
                leads.update(phone="", updated_at=timezone.now())
            erasure.holds.all().delete()
            for label, count in counts.items():
                erasure.counts[label] = erasure.counts.get(label, 0) + count
            erasure.save(update_fields=["counts"])
            _finish(erasure, now=timezone.now())
            finished += 1
    return finished


def erasure_open_jobs(erasure: PersonErasure) -> QuerySet[SyncJob]:
    """The removal jobs an erasure still waits for (none once it is done)."""
    lead_ids = list(erasure.holds.values_list("lead_id", flat=True))
    return SyncJob.objects.filter(lead_id__in=lead_ids, state__in=OPEN_STATES)


# --- Upload files -------------------------------------------------------------------


def upload_files_purge(*, now=None) -> int:
    """Delete stored upload files (lead imports, DNC files) of jobs that finished more
    than UPLOAD_RETENTION_DAYS ago; the jobs, their counts and rejections stay. How many
    files went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    purged = 0
    imports = ImportJob.objects.filter(state__in=ImportJob.FINAL_STATES).exclude(file="")
    dnc_files = DncFileJob.objects.filter(
        state__in=(DncFileState.DONE, DncFileState.FAILED)
    ).exclude(file="")
    for jobs in (imports, dnc_files):
        ended = jobs.annotate(ended=Coalesce("finished_at", "created_at")).filter(ended__lt=cutoff)
        for job in ended.only("pk", "file"):
            job.file.delete(save=False)
            type(job).objects.filter(pk=job.pk).update(file="")
            purged += 1
    return purged
