"""What is held about a person, erasing it, and finishing an erasure once the dialers
dropped the person's leads."""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import LeadChange
from audit.services import audit_record
from campaigns.models import LeadDisposition
from leads.dnc_hashed import hashed_dnc_add
from leads.models import (
    DncEntry,
    DncFileLine,
    ImportRejection,
    ImportStagingRow,
    Lead,
    LeadList,
    LeadStatus,
)
from leads.services.lead_lists import lead_list_counts_refresh
from privacy.models import ErasureHold, ErasureState, PersonErasure
from privacy.registry import SCRUBBED, personal_fields
from privacy.services.people import (
    Person,
    check_may_erase,
    needles_for,
    person_emails,
    person_leads,
    person_numbers,
)
from privacy.services.scrub import HELD_STATES, rows_mentioning, scrub_text, scrubbed_rows
from sync.models import OPEN_STATES, LeadSync, SyncJob
from sync.services.hooks import sync_on_lead_removed


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
                how = (
                    gettext("scrubbed")
                    if label in personal_fields(SCRUBBED)
                    else gettext("deleted")
                )
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
    check_may_erase(user)
    leads = list(
        person_leads(person, user=user)
        .annotate(attempts_count=Count("call_attempts"))
        .prefetch_related("results__campaign", "syncs__campaign")
    )
    numbers = person_numbers(person, leads)
    emails = person_emails(person, leads)
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
    check_may_erase(acting_user)
    leads = list(person_leads(person, user=acting_user).select_for_update(of=("self",)))
    numbers = person_numbers(person, leads)
    emails = person_emails(person, leads)
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
