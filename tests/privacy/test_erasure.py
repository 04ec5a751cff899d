"""Erasing a person: after it (and after the dialers dropped their leads) no row of any
table contains the number or the e-mail address; what is kept is kept for counts; the
dialer lost the member; the audit trail says who and how many rows, not whom."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from audit.models import LeadChange
from audit.services import lead_changes_record
from campaigns.models import LeadDisposition
from dialer_console.errors import ApplicationError
from leads.dnc_hashed import phone_hash
from leads.models import (
    DncEntry,
    DncFileJob,
    DncFileLine,
    DncHashedEntry,
    ImportJob,
    ImportRejection,
    ImportStagingRow,
    Lead,
    LeadStatus,
)
from privacy.models import ErasureHold, ErasureState, PersonErasure
from privacy.services import (
    erasures_finish,
    needles_for,
    person_erase,
    person_findings,
    person_read,
)
from results.models import CallAttempt, InboundEvent
from sync.services import sync_on_campaign_saved
from tests.accounts.factories import UserFactory
from tests.leads.factories import LeadListFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on
from tests.sync.remote import phones_on_dialer

NUMBER = "+919876512345"
EMAIL = "Asha.Rao@example.in"
OTHER = "+919876500001"
TEXT_TYPES = (models.CharField, models.TextField, models.JSONField)


def _rows_holding(needles: list[str]) -> dict[str, int]:
    """Rows of every table whose any text column contains any needle (case aside)."""
    found = {}
    for model in apps.get_models():
        columns = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_TYPES)]
        if not columns:
            continue
        queryset = model._base_manager.all()
        match = Q(pk__in=[])
        for field in columns:
            alias = f"_t_{field.name}"
            queryset = queryset.annotate(**{alias: Cast(field.name, TextField())})
            for needle in needles:
                match |= Q(**{f"{alias}__icontains": needle})
        count = queryset.filter(match).count()
        if count:
            found[model._meta.label] = count
    return found


def _person_everywhere(account, supervisor):
    """The person in two lists of two teams (one lead by number, one by address with the
    number as an alternate), on a Webitel dialer, and in every kind of row that can quote
    them."""
    first = LeadListFactory(default_country="IN")
    second = LeadListFactory(default_country="IN")
    lead = Lead.objects.create(
        lead_list=first,
        phone=NUMBER,
        first_name="Asha",
        last_name="Rao",
        email=EMAIL,
        timezone="Asia/Kolkata",
        custom_fields={"note": f"call {EMAIL} first", "alt": "98765 12345"},
    )
    other_lead = Lead.objects.create(
        lead_list=second,
        phone=OTHER,
        email=EMAIL.lower(),
        alternate_phones=[{"phone": NUMBER, "kind": "mobile", "priority": 1}],
    )
    bystander = Lead.objects.create(lead_list=first, phone="+919876500002", first_name="B")
    campaign = campaign_on(account, lead_list=first)
    sync_on_campaign_saved(campaign=campaign)
    run_jobs()
    job = ImportJob.objects.create(
        lead_list=first, original_name="x.csv", header=["+919876512345", "Asha"], has_header=False
    )
    ImportStagingRow.objects.create(job_id=job.pk, row_number=3, phone=NUMBER, email=EMAIL)
    ImportRejection.objects.create(
        job=job, row_number=4, reason="duplicate", detail=f"{NUMBER} is already a lead"
    )
    ImportRejection.objects.create(job=job, row_number=5, reason="invalid_phone", detail="x")
    DncEntry.objects.create(phone=NUMBER, scope="everywhere", reason="asked", created_by=supervisor)
    dnc_file = DncFileJob.objects.create(original_name="dnc.csv")
    DncFileLine.objects.create(
        job=dnc_file, row_number=1, text="098765 12345", phone=NUMBER, outcome="added"
    )
    lead_changes_record(ids=[lead.pk], kind="bulk_move", after={"lead_list_id": second.pk})
    LeadChange.objects.create(
        lead_id=lead.pk, at=lead.created_at, kind="import_update", door="page",
        before={"first_name": "Asha"}, after={"email": EMAIL},
    )  # fmt: skip
    InboundEvent.objects.create(
        vendor_account=account, event_id="e1", body='{"number": "919876512345"}', accepted=True
    )
    InboundEvent.objects.create(vendor_account=account, event_id="e2", body="{}", accepted=True)
    CallAttempt.objects.create(
        campaign=campaign, lead=lead, attempted_at=lead.created_at, result_raw="NO_ANSWER",
        source="pull",
    )  # fmt: skip
    LeadDisposition.objects.create(
        campaign=campaign, lead=lead, code="CB", label="Callback", note="Asha prefers mornings"
    )
    AdminLogEntry.objects.create(
        user=supervisor,
        content_type=ContentType.objects.get_for_model(Lead),
        object_id=str(lead.pk),
        object_repr=NUMBER,
        action_flag=CHANGE,
        change_message=f"Changed email to {EMAIL}",
    )
    return lead, other_lead, bystander, campaign


def test_a_number_is_read_as_the_imports_read_it_and_bad_input_is_refused():
    assert person_read(phone="098765 12345", country="IN").phone == NUMBER
    assert person_read(email=" Asha.Rao@Example.in ").email == "asha.rao@example.in"
    with pytest.raises(ApplicationError, match="not a valid phone number"):
        person_read(phone="12", country="IN")
    with pytest.raises(ApplicationError, match="not an e-mail address"):
        person_read(email="nobody")
    with pytest.raises(ApplicationError, match="Give a phone number"):
        person_read()


def test_the_needles_cover_e164_digits_national_and_address():
    assert set(needles_for(numbers=[NUMBER], emails=["a@b.in"])) == {
        NUMBER, "919876512345", "09876512345", "a@b.in",
    }  # fmt: skip


def test_after_erasure_no_row_anywhere_holds_the_number_or_the_address(
    emulated_account, supervisor
):
    account, emulator = emulated_account("webitel")
    lead, other_lead, bystander, campaign = _person_everywhere(account, supervisor)
    needles = needles_for(numbers=[NUMBER, OTHER], emails=[EMAIL])
    # The fixture did put them everywhere, the dialer's call log included.
    assert set(_rows_holding(needles)) == {
        "admin.LogEntry", "auditlog.LogEntry", "audit.LeadChange", "leads.DncEntry",
        "leads.DncFileLine", "leads.ImportJob", "leads.ImportRejection",
        "leads.ImportStagingRow", "leads.Lead", "results.InboundEvent", "vendors.VendorCall",
    }  # fmt: skip
    assert NUMBER in phones_on_dialer("webitel", emulator, campaign)

    findings = person_findings(person_read(phone=NUMBER), user=supervisor)
    assert {found.pk for found in findings.leads} == {lead.pk, other_lead.pk}
    assert findings.numbers == [OTHER, NUMBER]
    assert findings.rows["leads.DncEntry"] == 1
    assert findings.rows["leads.ImportRejection"] == 1
    assert findings.rows["results.InboundEvent"] == 1

    erasure = person_erase(person=person_read(phone=NUMBER), acting_user=supervisor, dnc=True)
    # The dialer still holds the lead: its number waits on the lead, nothing else does.
    assert erasure.state == ErasureState.WAITING
    assert list(ErasureHold.objects.values_list("lead_id", flat=True)) == [lead.pk]
    run_jobs()
    assert NUMBER not in phones_on_dialer("webitel", emulator, campaign)
    assert bystander.phone in phones_on_dialer("webitel", emulator, campaign)
    assert erasures_finish() == 1

    assert _rows_holding(needles) == {}
    erasure.refresh_from_db()
    assert erasure.state == ErasureState.DONE
    assert not ErasureHold.objects.exists()
    # Kept for the counts: the lead rows (blank, removed) and the call attempt.
    for kept in (lead, other_lead):
        kept.refresh_from_db()
        assert (kept.phone, kept.email, kept.first_name, kept.custom_fields) == ("", "", "", {})
        assert kept.alternate_phones == []
        assert kept.status == LeadStatus.REMOVED
    assert LeadDisposition.objects.get(lead=lead).note == ""
    assert CallAttempt.objects.filter(lead=lead).count() == 1
    bystander.refresh_from_db()
    assert bystander.phone == "+919876500002" and bystander.first_name == "B"
    assert ImportRejection.objects.count() == 1  # the other row's
    assert InboundEvent.objects.count() == 2  # scrubbed, not deleted
    assert not LeadChange.objects.filter(lead_id=lead.pk).exists()
    # On the do-not-call list as keyed hashes only, each of the person's numbers.
    assert set(DncHashedEntry.objects.values_list("phone_hash", flat=True)) == {
        phone_hash(NUMBER),
        phone_hash(OTHER),
    }
    assert erasure.counts["leads.Lead"] == 2
    assert erasure.counts["leads.DncEntry"] == 1
    assert erasure.counts["leads.DncHashedEntry"] == 2


def test_the_audit_trail_records_who_and_how_many_not_whom(supervisor):
    lead_list = LeadListFactory(default_country="IN")
    Lead.objects.create(lead_list=lead_list, phone=NUMBER, email=EMAIL)
    erasure = person_erase(person=person_read(phone=NUMBER), acting_user=supervisor)
    assert erasure.state == ErasureState.DONE  # no dialer held it
    assert erasure.requested_by == supervisor
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PersonErasure), object_pk=str(erasure.pk)
    )
    assert entry.changes["counts"][1] == {"leads.Lead": 1}
    assert _rows_holding(needles_for(numbers=[NUMBER], emails=[EMAIL])) == {}


def test_only_supervisors_erase(team_lead):
    with pytest.raises(ApplicationError, match="Only supervisors"):
        person_erase(person=person_read(phone=NUMBER), acting_user=team_lead)
    assert not PersonErasure.objects.exists()


def test_without_dnc_a_number_never_listed_is_not_hashed(db):
    user = UserFactory(is_superuser=True)
    Lead.objects.create(lead_list=LeadListFactory(default_country="IN"), phone=NUMBER)
    erasure = person_erase(person=person_read(phone=NUMBER), acting_user=user, dnc=False)
    assert not erasure.dnc_listed
    assert not DncHashedEntry.objects.exists()


def test_erasing_again_while_a_dialer_still_holds_the_lead_leaves_it_to_the_first(
    emulated_account, supervisor
):
    account, emulator = emulated_account("webitel")
    lead_list = LeadListFactory(default_country="IN")
    Lead.objects.create(lead_list=lead_list, phone=NUMBER, email=EMAIL)
    campaign = campaign_on(account, lead_list=lead_list)
    sync_on_campaign_saved(campaign=campaign)
    run_jobs()
    first = person_erase(person=person_read(phone=NUMBER), acting_user=supervisor)
    second = person_erase(person=person_read(phone=NUMBER), acting_user=supervisor)
    assert (first.state, second.state) == (ErasureState.WAITING, ErasureState.DONE)
    assert ErasureHold.objects.get().erasure == first
    run_jobs()
    assert NUMBER not in phones_on_dialer("webitel", emulator, campaign)
    assert erasures_finish() == 1
    assert _rows_holding(needles_for(numbers=[NUMBER], emails=[EMAIL])) == {}
