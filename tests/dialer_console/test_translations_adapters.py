"""The adapters' sentences shown on pages follow the user's language, and numbers inside
translated messages use the language's separators (issue 17 point 4)."""

from __future__ import annotations

import pytest
from django.utils import translation

from leads.services.bulk_actions import DELETE, BulkLeadResult
from vendors.adapters.acefone.adapter import AcefoneAdapter
from vendors.adapters.jtel.adapter import JtelAdapter
from vendors.adapters.ozonetel.adapter import OzonetelAdapter
from vendors.adapters.types import Capability
from vendors.adapters.voicenter.adapter import VoicenterAdapter
from vendors.adapters.webitel.adapter import WebitelAdapter
from vendors.selectors import vendor_capability_rows

ADAPTERS = [AcefoneAdapter, JtelAdapter, OzonetelAdapter, VoicenterAdapter, WebitelAdapter]


def _texts(adapter):
    return [
        *adapter.unsupported_reasons.values(),
        *adapter.capability_notes.values(),
        *adapter.documented_not_used,
    ]


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.kind)
@pytest.mark.parametrize("language", ["de", "he", "uk"])
def test_every_page_text_of_an_adapter_is_translated(adapter, language):
    texts = _texts(adapter)
    assert texts
    with translation.override("en"):
        english = [str(text) for text in texts]
    with translation.override(language):
        translated = [str(text) for text in texts]
    untranslated = [e for e, t in zip(english, translated, strict=True) if e == t]
    assert untranslated == []


def test_the_capability_matrix_speaks_hebrew():
    with translation.override("he"):
        rows = {row.capability: row for row in vendor_capability_rows(kind="acefone")}
        reason = str(rows[Capability.CAMPAIGN_START_STOP].reason)
    assert reason == "Acefone אינה מתעדת קריאה לכך. הפעילו ועצרו את הקמפיין בלוח הבקרה של Acefone."
    with translation.override("en"):
        rows = {row.capability: row for row in vendor_capability_rows(kind="acefone")}
        assert str(rows[Capability.CAMPAIGN_START_STOP].reason) == (
            "Acefone documents no call for this. Start and stop the campaign in Acefone's "
            "dashboard."
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234"), ("de", "1.234"), ("uk", "1\xa0234")],
)
def test_numbers_inside_messages_use_the_languages_separators(language, expected):
    result = BulkLeadResult(action=DELETE, done=1234)
    with translation.override(language):
        summary = result.summary
    assert expected in summary
