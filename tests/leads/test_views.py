"""The pages of the import flow, with the Django client."""

import pytest
from django.urls import reverse

from leads.models import ImportJob, ImportState, Lead, MappingTemplate
from leads.services import lead_import_run
from tests.accounts.factories import TeamFactory, UserFactory
from tests.leads.factories import ImportJobFactory, LeadFactory, LeadListFactory, csv_upload
from tests.leads.helpers import NO_PHONE_CSV, UA_NAMED_CSV, UNNAMED_CSV, run_import

pytestmark = pytest.mark.django_db

CSV = "Telefon;Vorname;Stadt\n030 1234567;Jürgen;Köln\nkaputt;Bad;Bonn\n=cmd;Evil;X\n"


def test_the_list_page_shows_only_the_users_team(team_lead_client, team_lead):
    mine = LeadListFactory(team=team_lead.team, name="Mine")
    LeadListFactory(name="Theirs")
    response = team_lead_client.get(reverse("leads:list"))
    assert response.status_code == 200
    assert list(response.context["page"].rows) == [mine]
    other = LeadListFactory(name="Other team")
    assert team_lead_client.get(reverse("leads:detail", args=[other.pk])).status_code == 404


def test_a_team_lead_creates_a_list_for_their_own_team(team_lead_client, team_lead):
    response = team_lead_client.post(
        reverse("leads:create"),
        {"name": "Spring", "default_country": "DE", "default_timezone": "Europe/Berlin"},
    )
    lead_list = team_lead.team.lead_lists.get()
    assert response.url == reverse("leads:detail", args=[lead_list.pk])
    assert lead_list.default_country == "DE"


def test_a_bad_time_zone_is_a_form_error(team_lead_client):
    response = team_lead_client.post(
        reverse("leads:create"),
        {"name": "X", "default_country": "DE", "default_timezone": "Mars/Base"},
    )
    assert "is not a time zone name" in response.content.decode()


def test_the_whole_flow_upload_preview_mapping_run_result_report_undo(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_country="DE")
    response = team_lead_client.post(
        reverse("leads:import-upload", args=[lead_list.pk]),
        {"file": csv_upload(CSV, "kontakte.csv", "cp1252")},
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("leads:import-detail", args=[job.pk])
    preview = team_lead_client.get(response.url).content.decode()
    assert "Jürgen" in preview and "Detected: cp1252" in preview

    fragment = team_lead_client.post(
        reverse("leads:import-reread", args=[job.pk]),
        {"encoding": "cp1252", "delimiter": ",", "has_header": "on"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert fragment.strip().startswith('<div id="preview">')
    assert "looks separated by Semicolon" in fragment
    team_lead_client.post(
        reverse("leads:import-reread", args=[job.pk]),
        {"encoding": "cp1252", "delimiter": ";", "has_header": "on"},
    )

    mapping_url = reverse("leads:import-mapping", args=[job.pk])
    assert "Telefon" in team_lead_client.get(mapping_url).content.decode()
    response = team_lead_client.post(
        mapping_url,
        {
            "column_0": "phone", "column_1": "first_name", "column_2": "custom",
            "default_country": "DE", "duplicate_policy": "skip", "duplicate_scope": "list",
            "dnc_scrub": "on", "template_name": "German export",
        },
    )  # fmt: skip
    assert response.url == reverse("leads:import-detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ImportState.QUEUED
    assert MappingTemplate.objects.get().columns["telefon"] == "phone"

    progress_url = reverse("leads:import-progress", args=[job.pk])
    polling = team_lead_client.get(progress_url).content.decode()
    assert 'hx-trigger="every 1s"' in polling and "0 of about 3 rows" in polling

    lead_import_run(job_id=job.pk)
    final = team_lead_client.get(progress_url).content.decode()
    assert "hx-trigger" not in final  # polling stops itself
    job.refresh_from_db()
    assert job.rejected_count and f"Download the {job.rejected_count} rejected rows (CSV)" in final
    assert '<option value=";" selected>' in final  # the upload's own delimiter first

    report_url = reverse("leads:import-report", args=[job.pk])
    report = team_lead_client.get(report_url)
    lines = b"".join(report.streaming_content).decode().splitlines()
    assert lines[0] == "\ufeffrow;reason;detail;Telefon;Vorname;Stadt"
    assert lines[1].startswith("3;Invalid phone number;")
    assert lines[1].endswith(";kaputt;Bad;Bonn")
    assert lines[2].endswith(";'=cmd;Evil;X")
    report = team_lead_client.get(report_url, {"delimiter": ","})
    lines = b"".join(report.streaming_content).decode().splitlines()
    assert lines[0] == "\ufeffrow,reason,detail,Telefon,Vorname,Stadt"

    team_lead_client.post(reverse("leads:import-undo", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportState.UNDONE
    assert not Lead.objects.exists()


def _uploaded_with_template(client, team):
    lead_list = LeadListFactory(team=team)
    template = MappingTemplate.objects.create(
        name="T", team=team, columns={"a": "phone", "b": "last_name"}
    )
    client.post(
        reverse("leads:import-upload", args=[lead_list.pk]),
        {"file": csv_upload("A,B\n212-555-0100,Lee\n")},
    )
    return ImportJob.objects.get(), template


def test_a_template_is_applied_by_a_post_from_the_mapping_page(team_lead_client, team_lead):
    job, template = _uploaded_with_template(team_lead_client, team_lead.team)
    mapping_url = reverse("leads:import-mapping", args=[job.pk])
    apply_url = reverse("leads:import-apply-template", args=[job.pk])
    page = team_lead_client.get(mapping_url).content.decode()
    assert f'method="post" action="{apply_url}" hx-post="{apply_url}"' in page
    response = team_lead_client.post(apply_url, {"template": template.pk})
    assert response.status_code == 302 and response.url == mapping_url
    job.refresh_from_db()
    assert job.mapping == ["phone", "last_name"]


def test_a_template_applied_over_htmx_answers_with_the_mapping_form(team_lead_client, team_lead):
    job, template = _uploaded_with_template(team_lead_client, team_lead.team)
    response = team_lead_client.post(
        reverse("leads:import-apply-template", args=[job.pk]),
        {"template": template.pk},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode().strip()
    assert fragment.startswith("<form") and 'id="mapping"' in fragment.split(">")[0]
    assert '<option value="last_name" selected>' in fragment
    assert "Apply a saved mapping" not in fragment


def test_a_get_with_a_template_no_longer_changes_the_import(team_lead_client, team_lead):
    job, template = _uploaded_with_template(team_lead_client, team_lead.team)
    before = list(job.mapping)
    url = reverse("leads:import-mapping", args=[job.pk])
    assert team_lead_client.get(url, {"template": template.pk}).status_code == 200
    assert (
        team_lead_client.get(
            reverse("leads:import-apply-template", args=[job.pk]), {"template": template.pk}
        ).status_code
        == 405
    )
    job.refresh_from_db()
    assert job.mapping == before != ["phone", "last_name"]


def test_another_teams_template_is_not_found(team_lead_client, team_lead):
    job, _ = _uploaded_with_template(team_lead_client, team_lead.team)
    theirs = MappingTemplate.objects.create(name="X", team=TeamFactory(), columns={"a": "email"})
    for value in (theirs.pk, "nope", ""):
        response = team_lead_client.post(
            reverse("leads:import-apply-template", args=[job.pk]), {"template": value}
        )
        assert response.status_code == 404
    job.refresh_from_db()
    assert "email" not in job.mapping


def test_mapping_without_a_phone_column_shows_the_error(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    team_lead_client.post(
        reverse("leads:import-upload", args=[lead_list.pk]),
        {"file": csv_upload("Name,City\nAda,London\n")},
    )
    job = ImportJob.objects.get()
    response = team_lead_client.post(
        reverse("leads:import-mapping", args=[job.pk]),
        {"column_0": "first_name", "column_1": "custom", "default_country": "GB",
         "duplicate_policy": "skip", "duplicate_scope": "list"},
    )  # fmt: skip
    assert "No column is mapped to Phone" in response.content.decode()


def test_an_upload_over_the_limit_is_stopped_by_the_handler(team_lead_client, team_lead, settings):
    settings.LEAD_UPLOAD_MAX_BYTES = 64
    lead_list = LeadListFactory(team=team_lead.team)
    response = team_lead_client.post(
        reverse("leads:import-upload", args=[lead_list.pk]),
        {"file": csv_upload("Phone\n" + "212-555-0100\n" * 50)},
    )
    assert response.status_code == 200
    assert "larger than the upload limit" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_bad_upload_is_shown_on_the_form(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    response = team_lead_client.post(
        reverse("leads:import-upload", args=[lead_list.pk]), {"file": csv_upload("Phone\n")}
    )
    assert "header row but no data rows" in response.content.decode()


def test_the_upload_still_checks_csrf(team_lead, team_lead_client):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(team_lead)
    lead_list = LeadListFactory(team=team_lead.team)
    response = client.post(
        reverse("leads:import-upload", args=[lead_list.pk]), {"file": csv_upload("a\n1\n")}
    )
    assert response.status_code == 403


def test_leads_are_paged_by_keyset_and_filtered(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    leads = [LeadFactory(lead_list=lead_list) for _ in range(55)]
    LeadFactory(lead_list=lead_list, status="dnc")
    url = reverse("leads:detail", args=[lead_list.pk])
    first = team_lead_client.get(url)
    assert len(first.context["page"].rows) == 50
    assert first.context["page"].next_url == f"{url}?after={leads[49].id}"
    second = team_lead_client.get(url, {"after": leads[49].id}, headers={"HX-Request": "true"})
    assert second.content.decode().strip().startswith('<div id="leads-table"')
    assert second.content.decode().count('<td><bdi dir="ltr" class="phone">+1212555') == 6
    dnc = team_lead_client.get(url, {"status": "dnc"})
    assert [lead.status for lead in dnc.context["page"].rows] == ["dnc"]


def test_leads_are_found_by_phone_in_any_format_or_first_digits(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_country="DE")
    berlin = [LeadFactory(lead_list=lead_list, phone=f"+4930123450{n:02d}") for n in range(60)]
    LeadFactory(lead_list=lead_list, phone="+4989123456")
    LeadFactory(phone="+493012345001")  # the same number in another list
    url = reverse("leads:detail", args=[lead_list.pk])

    exact = team_lead_client.get(url, {"phone": "030 1234 5001"})  # read as DE
    assert [lead.pk for lead in exact.context["page"].rows] == [berlin[1].pk]

    first_digits = team_lead_client.get(url, {"phone": "030 12"})
    assert len(first_digits.context["page"].rows) == 50
    assert f"phone=030+12&amp;after={berlin[49].pk}" in first_digits.content.decode()
    rest = team_lead_client.get(url, {"phone": "030 12", "after": berlin[49].pk})
    assert [lead.pk for lead in rest.context["page"].rows] == [lead.pk for lead in berlin[50:]]

    words = team_lead_client.get(url, {"phone": "call back"})
    assert words.context["page"].rows == []
    assert "is not a phone number: type a number or its first digits." in words.content.decode()


def test_another_teams_import_is_not_found(client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, "Phone\n212-555-0100\n")
    stranger = UserFactory(role="Team lead", with_team=True)
    client.force_login(stranger)
    for name in ("import-detail", "import-progress", "import-report"):
        assert client.get(reverse(f"leads:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("leads:import-undo", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("stored", ["none", "gone"])
def test_an_import_without_its_stored_file_says_so_instead_of_failing(
    team_lead_client, team_lead, stored
):
    lead_list = LeadListFactory(team=team_lead.team)
    if stored == "none":  # as an API bulk add leaves a job
        job = ImportJobFactory(lead_list=lead_list, header=["Phone"], mapping=["phone"])
        message = "This import has no stored file to read"
    else:
        team_lead_client.post(
            reverse("leads:import-upload", args=[lead_list.pk]),
            {"file": csv_upload("Phone\n212-555-0100\n")},
        )
        job = ImportJob.objects.get(lead_list=lead_list)
        job.file.storage.delete(job.file.name)
        message = "This import&#x27;s stored file is missing"
    pages = [
        team_lead_client.get(reverse("leads:import-detail", args=[job.pk])),
        team_lead_client.post(
            reverse("leads:import-reread", args=[job.pk]),
            {"encoding": "utf-8", "delimiter": ",", "has_header": "on"},
        ),
        team_lead_client.get(reverse("leads:import-mapping", args=[job.pk]), follow=True),
    ]
    for page in pages:
        assert page.status_code == 200
        assert message in page.content.decode()


def _upload_on_the_page(client, lead_list, text) -> ImportJob:
    client.post(
        reverse("leads:import-upload", args=[lead_list.pk]), {"file": csv_upload(text, "ua.csv")}
    )
    return ImportJob.objects.get()


def _post_the_suggested_mapping(client, job):
    """The mapping page as shown, and the reply to submitting it unchanged."""
    url = reverse("leads:import-mapping", args=[job.pk])
    page = client.get(url)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return page, client.post(url, {name: value for name, value in data.items() if value})


def test_a_ukrainian_file_is_mapped_by_its_header_names(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_country="UA")
    job = _upload_on_the_page(team_lead_client, lead_list, UA_NAMED_CSV)
    page, response = _post_the_suggested_mapping(team_lead_client, job)
    assert page.content.decode().count("From the header name") == 2
    assert response.url == reverse("leads:import-detail", args=[job.pk])
    lead_import_run(job_id=job.pk)
    assert Lead.objects.count() == 5
    assert Lead.objects.get(phone="+380501234567").first_name == "Олена"


def test_a_file_with_unknown_headers_is_mapped_by_its_content(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_country="UA")
    job = _upload_on_the_page(team_lead_client, lead_list, UNNAMED_CSV)
    page, response = _post_the_suggested_mapping(team_lead_client, job)
    html = page.content.decode()
    assert html.count('data-source="content"') == 1
    assert "Found by content: 5 of 5 sampled values are valid UA numbers" in html
    assert response.url == reverse("leads:import-detail", args=[job.pk])
    lead_import_run(job_id=job.pk)
    lead = Lead.objects.get(phone="+380444567890")
    assert lead.custom_fields == {"col1": "442345680", "col2": "Bohdan"}
    assert Lead.objects.count() == 5


def test_the_page_says_what_was_looked_at_when_no_phone_is_found(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_country="UA")
    job = _upload_on_the_page(team_lead_client, lead_list, NO_PHONE_CSV)
    page, response = _post_the_suggested_mapping(team_lead_client, job)
    assert 'data-source="' not in page.content.decode()
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and errors[0].startswith("No column is mapped to Phone.")
    assert "col1: 1001, 1002, 1003 (0 of 3 valid); col2: Olena, Taras, Iryna (0 of 3" in errors[0]
    job.refresh_from_db()
    assert job.state == ImportState.UPLOADED
