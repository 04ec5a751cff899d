import json

import pytest
from django.urls import reverse

from leads.models import ImportJob, ImportState, Lead, LeadList
from tests.accounts.factories import UserFactory
from tests.leads.factories import (
    DncEntryFactory,
    ImportJobFactory,
    LeadFactory,
    LeadListFactory,
    csv_upload,
)
from tests.leads.helpers import UA_NAMED_CSV, UNNAMED_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def consumer(api_client, api_consumer):
    api_client.force_authenticate(api_consumer)
    return api_client


def test_lead_list_crud(api_client, team_lead):
    api_client.force_authenticate(team_lead)
    created = api_client.post(
        reverse("api-lead-lists"), {"name": "API list", "default_country": "gb"}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["team"] == team_lead.team_id
    assert created.json()["default_country"] == "GB"
    listed = api_client.get(reverse("api-lead-lists")).json()
    assert [row["id"] for row in listed["results"]] == [pk]
    patched = api_client.patch(
        reverse("api-lead-list", args=[pk]), {"description": "x"}, format="json"
    )
    assert patched.json()["description"] == "x"
    assert api_client.delete(reverse("api-lead-list", args=[pk])).status_code == 204
    assert not LeadList.objects.exists()


def test_another_teams_list_is_not_found(api_client, team_lead):
    api_client.force_authenticate(team_lead)
    other = LeadListFactory()
    assert api_client.get(reverse("api-lead-list", args=[other.pk])).status_code == 404


def test_an_api_consumer_cannot_delete(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    assert consumer.delete(reverse("api-lead-list", args=[lead_list.pk])).status_code == 403


def test_leads_are_filtered_and_cursor_paged(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    for n in range(5):
        LeadFactory(lead_list=lead_list, phone=f"+1212555010{n}")
    LeadFactory(lead_list=lead_list, phone="+12125550199", status="dnc")
    LeadFactory(phone="+12125550100")  # another team's
    page = consumer.get(reverse("api-leads"), {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        page = consumer.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert seen == sorted(seen) and len(seen) == 6
    by_phone = consumer.get(reverse("api-leads"), {"phone": "(212) 555-0100"}).json()
    assert [row["phone"] for row in by_phone["results"]] == ["+12125550100"]
    by_status = consumer.get(reverse("api-leads"), {"status": "dnc"}).json()
    assert [row["phone"] for row in by_status["results"]] == ["+12125550199"]


def test_bulk_add_gives_one_result_per_lead(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    existing = LeadFactory(lead_list=lead_list, phone="+12125550100")
    DncEntryFactory(phone="+12125550102")
    payload = {
        "leads": [
            {"phone": "(212) 555-0101", "first_name": "New", "custom_fields": {"plan": "gold"},
             "alternate_phones": [{"phone": "212-555-0150", "kind": "mobile"}]},
            {"phone": "212-555-0100", "first_name": "Existing"},
            {"phone": "212-555-0102"},
            {"phone": "nope"},
            {"phone": "212-555-0103", "expires_on": "soon"},
            {"phone": "212-555-0101", "first_name": "Repeat"},
        ],
        "duplicate_policy": "update",
    }  # fmt: skip
    response = consumer.post(
        reverse("api-leads-bulk-add", args=[lead_list.pk]), payload, format="json"
    )
    assert response.status_code == 201, response.json()
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == [
        "imported", "updated", "dnc", "invalid_phone", "malformed", "duplicate",
    ]  # fmt: skip
    new = Lead.objects.get(phone="+12125550101")
    assert results[0]["lead_id"] == new.id
    assert results[1]["lead_id"] == existing.id
    assert new.custom_fields == {"plan": "gold"}
    assert new.alternate_phones == [{"phone": "+12125550150", "kind": "mobile", "priority": 1}]
    existing.refresh_from_db()
    assert existing.first_name == "Existing"
    assert "not a date" in results[4]["message"]


def test_bulk_add_is_capped_at_ten_thousand(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    payload = {"leads": [{"phone": "2125550100"}] * 10_001}
    response = consumer.post(
        reverse("api-leads-bulk-add", args=[lead_list.pk]), payload, format="json"
    )
    assert response.status_code == 400


def test_an_import_is_created_from_an_upload_and_polled(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    response = consumer.post(
        reverse("api-imports"),
        {
            "file": csv_upload("Tel;Name\n212-555-0100;Ada\n"),
            "lead_list": lead_list.pk,
            "mapping": json.dumps(["phone", "last_name"]),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == ImportState.QUEUED
    assert body["delimiter"] == ";" and body["mapping"] == ["phone", "last_name"]
    from leads.services import lead_import_run

    lead_import_run(job_id=body["id"])
    polled = consumer.get(reverse("api-import", args=[body["id"]])).json()
    assert polled["state"] == "done"
    assert polled["counts"]["imported"] == 1 and polled["progress"]["percent"] == 100
    assert Lead.objects.get().last_name == "Ada"


def test_an_import_without_start_waits_for_its_mapping(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    response = consumer.post(
        reverse("api-imports"),
        {"file": csv_upload("Name\nAda\n"), "lead_list": lead_list.pk, "start": "false"},
        format="multipart",
    )
    assert response.json()["state"] == ImportState.UPLOADED


def test_import_errors_come_back_as_message_and_extra(consumer, api_consumer, settings):
    lead_list = LeadListFactory(team=api_consumer.team)
    response = consumer.post(
        reverse("api-imports"),
        {"file": csv_upload("Name\nAda\n"), "lead_list": lead_list.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["extra"]["code"] == "no_phone"
    assert response.json()["extra"]["columns"][0]["samples"] == ["Ada"]
    settings.LEAD_UPLOAD_MAX_BYTES = 10
    response = consumer.post(
        reverse("api-imports"),
        {"file": csv_upload("Phone\n2125550100\n" * 5), "lead_list": lead_list.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["extra"] == {"code": "too_large"}
    assert ImportJob.objects.count() == 1  # the first one, waiting for a mapping


def test_another_teams_import_is_not_found(api_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = ImportJob.objects.create(lead_list=lead_list, original_name="x.csv")
    stranger = UserFactory(role="Team lead", with_team=True)
    api_client.force_authenticate(stranger)
    assert api_client.get(reverse("api-import", args=[job.pk])).status_code == 404


def test_an_import_is_undone_through_the_api(api_client, team_lead):
    from leads.services import lead_import_run

    api_client.force_authenticate(team_lead)
    lead_list = LeadListFactory(team=team_lead.team)
    kept = LeadFactory(lead_list=lead_list, phone="+12125550199")
    created = api_client.post(
        reverse("api-imports"),
        {"file": csv_upload("Phone\n212-555-0100\n212-555-0101\n"), "lead_list": lead_list.pk},
        format="multipart",
    ).json()
    lead_import_run(job_id=created["id"])

    response = api_client.post(reverse("api-import-undo", args=[created["id"]]))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["removed"], body["leaving_dialers"]) == (2, 0)
    assert body["job"]["state"] == ImportState.UNDONE
    assert list(Lead.objects.values_list("pk", flat=True)) == [kept.pk]
    again = api_client.post(reverse("api-import-undo", args=[created["id"]]))
    assert again.status_code == 400
    assert again.json()["message"].startswith("This import is undone")


def test_another_teams_import_cannot_be_undone(api_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = ImportJob.objects.create(lead_list=lead_list, original_name="x.csv", state="done")
    api_client.force_authenticate(UserFactory(role="Team lead", with_team=True))
    assert api_client.post(reverse("api-import-undo", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get(pk=job.pk).state == ImportState.DONE


def test_bulk_add_rejects_values_the_database_would_refuse_per_lead(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    payload = {
        "leads": [
            {"phone": "212-555-0100", "priority": 99999999999999},
            {"phone": "212-555-0101", "custom_fields": {"note": "a\ud800b"}},
            {"phone": "212-555-0102", "alternate_phones": ["212-555-0150"]},
            {"phone": "212-555-0103", "priority": 7},
        ]
    }
    url = reverse("api-leads-bulk-add", args=[lead_list.pk])
    # json.dumps writes the lone surrogate as \ud800, which the test client's renderer refuses
    body = json.dumps(payload)
    response = consumer.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["malformed"] * 3 + ["imported"]
    assert "outside" in results[0]["message"]
    too_long = consumer.post(
        url, json.dumps({**payload, "country": "DEU"}), content_type="application/json"
    )
    assert too_long.status_code == 400
    assert "country" in too_long.json()  # a field error, as every serializer field's


def test_an_import_reply_says_where_each_suggestion_came_from(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team, default_country="US")
    response = consumer.post(
        reverse("api-imports"),
        {
            "file": csv_upload(UNNAMED_CSV),
            "lead_list": lead_list.pk,
            "default_country": "UA",
            "start": "false",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["mapping"] == ["custom", "custom", "phone"]
    assert body["suggestions"][0] == {
        "column": "col1",
        "target": "custom",
        "source": "",
        "note": "",
    }
    assert body["suggestions"][2] == {
        "column": "col3",
        "target": "phone",
        "source": "content",
        "note": "found by content: 5 of 5 sampled values are valid UA numbers",
    }
    detail = consumer.get(reverse("api-import", args=[body["id"]])).json()
    assert detail["suggestions"] == body["suggestions"]


def test_an_import_started_on_the_suggestions_imports_and_then_drops_them(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team, default_country="UA")
    response = consumer.post(
        reverse("api-imports"),
        {"file": csv_upload(UA_NAMED_CSV), "lead_list": lead_list.pk},
        format="multipart",
    )
    body = response.json()
    assert body["state"] == ImportState.QUEUED
    assert [s["source"] for s in body["suggestions"]] == ["header", "header"]
    from leads.services import lead_import_run

    lead_import_run(job_id=body["id"])
    detail = consumer.get(reverse("api-import", args=[body["id"]])).json()
    assert detail["counts"]["imported"] == 5 and detail["suggestions"] is None


def test_an_unknown_country_is_refused(consumer, api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    response = consumer.post(
        reverse("api-imports"),
        {"file": csv_upload(UNNAMED_CSV), "lead_list": lead_list.pk, "default_country": "QQ"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "Unknown country code 'QQ'.",
        "extra": {"code": "country"},
    }


def test_bulk_add_refuses_a_body_with_a_nul_character_whole(consumer, api_consumer):
    """A NUL is refused by the API's JSON parser for the whole body, before any lead is
    read, with the reason; nothing is imported."""
    lead_list = LeadListFactory(team=api_consumer.team)
    payload = {"leads": [{"phone": "212-555-0100", "custom_fields": {"note": "a\u0000b"}}]}
    url = reverse("api-leads-bulk-add", args=[lead_list.pk])
    response = consumer.post(url, payload, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["code"] == "nul_character"
    assert not lead_list.leads.exists()


def test_the_imports_list_shows_the_users_teams_imports_filtered_and_cursor_paged(
    consumer, api_consumer
):
    own = LeadListFactory(team=api_consumer.team)
    other_own = LeadListFactory(team=api_consumer.team)
    theirs = LeadListFactory()
    first = ImportJobFactory(lead_list=own, state=ImportState.DONE)
    second = ImportJobFactory(lead_list=own, state=ImportState.FAILED)
    third = ImportJobFactory(lead_list=other_own, state=ImportState.DONE)
    ImportJobFactory(lead_list=theirs, state=ImportState.DONE)
    url = reverse("api-imports")
    body = consumer.get(url, {"page_size": 2}).json()
    assert [job["id"] for job in body["results"]] == [third.pk, second.pk]  # newest first
    assert "suggestions" not in body["results"][0]
    rest = consumer.get(body["next"]).json()
    assert [job["id"] for job in rest["results"]] == [first.pk] and rest["next"] is None
    by_list = consumer.get(url, {"lead_list": own.pk}).json()["results"]
    assert [job["id"] for job in by_list] == [second.pk, first.pk]
    by_state = consumer.get(url, {"state": "done"}).json()["results"]
    assert [job["id"] for job in by_state] == [third.pk, first.pk]
    refused = consumer.get(url, {"state": "nope"})
    assert refused.status_code == 400
    assert consumer.get(url, {"list": own.pk}).json()["extra"]["code"] == "unknown_query_parameters"
