"""The README's verification snippet accepts what the console signs, and nothing else."""

from __future__ import annotations

import re
import time
from pathlib import Path

from webhooks.signing import signature_header

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_verify():
    text = README.read_text()
    section = text[text.index("**Verifying a delivery.**") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    return namespace["verify"]


def test_the_readme_snippet_verifies_a_delivery():
    verify = _readme_verify()
    body = b'{"id":"evt_1","type":"import.finished"}'
    now = int(time.time())
    header = signature_header("whsec_abc", now, body)
    assert verify("whsec_abc", header, body)
    assert not verify("whsec_abd", header, body)
    assert not verify("whsec_abc", header, body + b"\n")
    assert not verify("whsec_abc", signature_header("whsec_abc", now - 600, body), body)
    assert not verify("whsec_abc", "v1=deadbeef", body)
