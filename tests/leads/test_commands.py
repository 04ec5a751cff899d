import pytest
from django.core.management import CommandError, call_command

from leads.models import ImportJob, Lead, LeadList

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
