import pytest
from django.core.management import CommandError, call_command

from leads.models import ImportJob, Lead, LeadList
from tests.leads.helpers import NO_PHONE_CSV, UA_NAMED_CSV, UNNAMED_CSV

pytestmark = pytest.mark.django_db


def test_import_leads_runs_the_pipeline(tmp_path, capsys):
    path = tmp_path / "kontakte.csv"
    path.write_bytes("Telefon;Vorname\n030 1234567;Jürgen\nkaputt;X\n".encode("cp1252"))
    call_command("import_leads", str(path), "--list", "Berlin", "--create", "--country", "DE")
    out = capsys.readouterr().out
    assert "Telefon → phone" in out
    assert "1 imported" in out and "1 invalid phone" in out
    assert Lead.objects.get().first_name == "Jürgen"
    job = ImportJob.objects.get()
    assert job.encoding == "cp1252" and job.lead_list == LeadList.objects.get(name="Berlin")


def test_import_leads_says_what_is_wrong(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    LeadList.objects.create(name="L")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("import_leads", str(path), "--list", "L")
    with pytest.raises(CommandError, match="No lead list named"):
        call_command("import_leads", str(path), "--list", "missing")


def test_import_leads_prints_where_each_suggestion_came_from(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(UNNAMED_CSV, encoding="utf-8")
    LeadList.objects.create(name="Kyiv", default_country="US")
    call_command("import_leads", str(path), "--list", "Kyiv", "--country", "UA", "--no-progress")
    out = capsys.readouterr().out
    assert "  col1 → custom\n  col2 → custom\n" in out
    assert "  col3 → phone (found by content: 5 of 5 sampled values are valid UA numbers)" in out
    assert "5 imported" in out
    assert Lead.objects.get(phone="+380501234567").custom_fields["col2"] == "Olena"


def test_import_leads_reads_ukrainian_headers(tmp_path, capsys):
    path = tmp_path / "клієнти.csv"
    path.write_text(UA_NAMED_CSV, encoding="utf-8")
    LeadList.objects.create(name="Львів", default_country="UA")
    call_command("import_leads", str(path), "--list", "Львів", "--no-progress")
    out = capsys.readouterr().out
    assert "  Ім'я → first_name (from the header name)\n" in out
    assert "  Телефон → phone (from the header name)\n" in out
    assert Lead.objects.count() == 5


def test_import_leads_refuses_a_file_without_phones_saying_what_it_sampled(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(NO_PHONE_CSV, encoding="utf-8")
    LeadList.objects.create(name="L", default_country="UA")
    with pytest.raises(CommandError, match=r"col1: 1001, 1002, 1003 \(0 of 3 valid\)"):
        call_command("import_leads", str(path), "--list", "L", "--no-progress")
    with pytest.raises(CommandError, match="Unknown country code 'XX'"):
        call_command("import_leads", str(path), "--list", "L", "--country", "xx")
