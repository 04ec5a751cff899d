"""The sync jobs and the do-not-call list as downloads (CSV and xlsx), scoped to the
user's teams."""

import csv
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sync.exports import SYNC_JOB_EXPORT_HEADER
from sync.models import SyncJob
from tests.campaigns.factories import VendorAccountFactory
from tests.leads.factories import DncEntryFactory


def _jobs(scenario):
    account = VendorAccountFactory()
    other = scenario.campaign.__class__.objects.create(name="Theirs")  # no team: supervisors
    for campaign, reason in ((scenario.campaign, "=2+2"), (other, "theirs")):
        SyncJob.objects.create(
            account=account, campaign=campaign, operation="campaign_create",
            not_before=timezone.now(), reason=reason,
        )  # fmt: skip


def test_sync_jobs_download_is_scoped_and_escaped(client, scenario):
    _jobs(scenario)
    client.force_login(scenario.team_lead)
    response = client.get(reverse("sync:job-export"), {"delimiter": ";"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == SYNC_JOB_EXPORT_HEADER
    # Only the job of the team's campaign; its reason escaped.
    assert [(row[2], row[7]) for row in rows[1:]] == [("Spring", "'=2+2")]


def test_sync_jobs_download_as_xlsx(client, scenario, supervisor):
    _jobs(scenario)
    client.force_login(supervisor)
    page = client.get(reverse("sync:job-list"))
    assert reverse("sync:job-export") in page.content.decode()
    response = client.get(reverse("sync:job-export"), {"file_format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 1 + SyncJob.objects.count() == 3
    assert {row[7] for row in rows[1:]} == {"'=2+2", "theirs"}
    assert client.get(reverse("sync:job-export"), {"file_format": "x"}).status_code == 400


def test_dnc_download_as_xlsx(client, supervisor):
    DncEntryFactory(phone="+12125550123", reason="@evil")
    client.force_login(supervisor)
    response = client.get(reverse("dnc:export"), {"file_format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][0] == "+12125550123" and rows[1][6] == "'@evil"
