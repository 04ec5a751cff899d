from __future__ import annotations

from vendors.adapters.http import REDACTED, Redactor


def test_known_values_and_token_bearing_keys_are_redacted():
    redact = Redactor(["static-secret-1"])
    text = (
        '{"access_token": "eyJ.login.jwt", "key": "k\\"1", "password": "p", '
        '"name": "static-secret-1", "status": "OK"} ?api_key=abc&campaign_name=x'
    )
    out = redact(text)
    for secret in ("eyJ.login.jwt", 'k\\"1', '"p"', "static-secret-1", "abc"):
        assert secret not in out
    assert '"status": "OK"' in out and "campaign_name=x" in out
    assert out.count(REDACTED) == 5


def test_url_encoded_secret_is_redacted():
    assert Redactor(["a+b/c=="])("token%3D a%2Bb%2Fc%3D%3D") == f"token%3D {REDACTED}"
