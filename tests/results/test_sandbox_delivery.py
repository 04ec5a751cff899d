"""In the sandbox the dialer delivers on its own: an export Ozonetel's emulator was asked
for is POSTed by a worker to the callback URL the console gave, after the reply."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from vendors import sandbox, tasks


@pytest.fixture(autouse=True)
def fresh_sandbox(db):
    sandbox.sandbox_reset()
    yield
    sandbox.sandbox_reset()


def test_a_requested_export_is_delivered_by_a_worker(monkeypatch):
    handed = []
    monkeypatch.setattr(
        tasks.sandbox_deliver, "delay_on_commit", lambda url, body: handed.append((url, body))
    )
    callback = "http://console.test/results/receive/abc/?secret=s3cret"
    with sandbox.sandbox_state("ozonetel") as emulator:
        emulator.exports.append(
            {"uniqueId": "export-7", "campaignName": "Spring_Renewals", "callBackUrl": callback}
        )
        emulator.dialled.append(
            {"campaign": "Spring_Renewals", "phone": "919812345678", "dialstatus": "answered",
             "agent": "", "at": "2026-12-03 10:00:00"}
        )  # fmt: skip
    # Any request to the sandbox lets the dialer send what it owes.
    sandbox.sandbox_answer(
        kind="ozonetel", mount="", method="GET", url="http://sandbox.test/nothing",
        headers={}, body=b"",
    )  # fmt: skip
    [(url, body)] = handed
    assert url == callback
    delivered = json.loads(body)
    assert delivered["uniqueId"] == "export-7"
    assert [row["PhoneNumber"] for row in delivered["data"]] == ["919812345678"]
    sandbox.sandbox_answer(
        kind="ozonetel", mount="", method="GET", url="http://sandbox.test/nothing",
        headers={}, body=b"",
    )  # fmt: skip
    assert len(handed) == 1  # once


@respx.mock
def test_the_delivery_task_posts_the_body():
    route = respx.post("http://console.test/results/receive/abc/").mock(
        return_value=httpx.Response(200, json={"message": "Filed 1 result(s)."})
    )
    status = tasks.sandbox_deliver("http://console.test/results/receive/abc/?secret=x", "{}")
    assert status == 200
    assert route.calls.last.request.content == b"{}"
    assert route.calls.last.request.url.params["secret"] == "x"
