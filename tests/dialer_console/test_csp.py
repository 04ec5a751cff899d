"""The Content-Security-Policy, and the pages it relies on: no inline script, no event
handler attribute, no inline style, anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.campaigns.factories import CampaignFactory
from tests.leads.factories import ImportJobFactory, LeadListFactory
from tests.vendors.factories import VendorAccountFactory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# drf-spectacular's pages are checked in the browser (tests/e2e) under their own policy.
OWN_TEMPLATES = [
    path
    for folder in TEMPLATE_DIRS
    for path in folder.rglob("*.html")
    if "drf_spectacular" not in path.parts
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def _offences(html: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("event handler attribute", HANDLER_ATTRIBUTE),
        ("inline style", INLINE_STYLE),
    ):
        found += [f"{name}: {match.group(0)[:80]}" for match in pattern.finditer(html)]
    return found


def test_the_patterns_catch_what_the_policy_refuses():
    assert _offences("<script>alert(1)</script>")
    assert _offences('<form method="post" onsubmit="return confirm(1)">')
    assert _offences('<div style="color: red">')
    assert _offences("<noscript><style>.a {}</style></noscript>")
    assert not _offences('<script src="/static/js/console.js" defer></script>')
    assert not _offences('<form data-confirm="Sure?" hx-on="x">')


@pytest.mark.parametrize("template", OWN_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_script_handlers_or_styles(template):
    assert _offences(template.read_text()) == []


@pytest.fixture
def pages(db):
    campaign = CampaignFactory(vendor_account=VendorAccountFactory())
    lead_list = LeadListFactory()
    job = ImportJobFactory(lead_list=lead_list, state="done")
    account = campaign.vendor_account
    return [
        reverse("home"),
        reverse("campaigns:list"),
        reverse("campaigns:create"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:edit", args=[campaign.pk]),
        reverse("campaigns:leads", args=[campaign.pk]),
        reverse("leads:list"),
        reverse("leads:create"),
        reverse("leads:detail", args=[lead_list.pk]),
        reverse("leads:import-upload", args=[lead_list.pk]),
        reverse("leads:import-detail", args=[job.pk]),
        reverse("dnc:list"),
        reverse("dnc:add"),
        reverse("vendors:account-list"),
        reverse("vendors:account-create"),
        reverse("vendors:account-detail", args=[account.pk]),
        reverse("vendors:account-calls", args=[account.pk]),
        reverse("sync:job-list"),
        reverse("accounts:tokens"),
        reverse("accounts:password_change"),
        "/no-such-page/",
    ]


def test_every_main_page_renders_without_inline_script_and_under_the_policy(
    supervisor_client, pages
):
    for url in pages:
        response = supervisor_client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert _offences(response.content.decode()) == [], url
        policy = response["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ):
            assert directive in policy, (url, policy)
        assert "unsafe" not in policy, (url, policy)


def test_the_login_page_is_under_the_policy_too(client):
    response = client.get(reverse("accounts:login"))
    assert _offences(response.content.decode()) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_api_docs_keep_scripts_strict(supervisor_client):
    for name in ("api-docs", "api-redoc"):
        response = supervisor_client.get(reverse(name))
        assert response.status_code == 200
        assert not INLINE_SCRIPT.search(response.content.decode()), name
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy + ";", (name, policy)
        assert "fonts.googleapis.com" not in response.content.decode()
