"""Settings come from the environment, with safe embedded defaults."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dialer_console.env import env_bool, env_int, env_list, secret_from_file

ROOT = Path(__file__).resolve().parents[2]


def _run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "DEBUG",
            "SECRET_KEY",
            "VENDOR_CREDENTIALS_KEYS",
            "REDIS_URL",
            "VENDOR_SANDBOX",
            "VENDOR_SANDBOX_ALLOW_PRODUCTION",
        }
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "dialer_console.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_env_bool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        env_bool("FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("NUMBER", "12")
    monkeypatch.setenv("ITEMS", "a, b,,c ")
    assert env_int("NUMBER", 3) == 12
    assert env_list("ITEMS") == ["a", "b", "c"]
    monkeypatch.setenv("NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be an integer"):
        env_int("NUMBER", 3)


def test_development_secret_is_generated_once(tmp_path):
    path = tmp_path / "secret"
    first = secret_from_file(path, lambda: "generated-value")
    second = secret_from_file(path, lambda: "another-value")
    assert first == second == "generated-value"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_embedded_default_is_sqlite_in_wal_with_filesystem_broker(tmp_path):
    result = _run_django(
        "from django.conf import settings; from django.db import connection;"
        "cur = connection.cursor(); cur.execute('PRAGMA journal_mode');"
        "print(connection.vendor, cur.fetchone()[0], settings.CELERY_BROKER_URL, settings.DEBUG)",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", "wal", "filesystem://", "True"]
    assert (tmp_path / "secret_key").exists()
    assert (tmp_path / "fernet_key").exists()
    assert (tmp_path / "broker" / "queue").is_dir()


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = _run_django("print('started')", VAR_DIR=str(tmp_path), DEBUG="0")
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is required" in result.stderr


def _readme_deploy_settings() -> dict[str, str]:
    """The variables of the README's block that says ``check --deploy`` reports nothing."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- deploy-check -->\s*```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "the README's deploy-check block is missing"
    pairs = re.findall(r"^([A-Z_]+)=(\S+)", block.group(1), re.MULTILINE)
    return dict(pairs)


def test_deploy_check_is_clean_with_the_readmes_https_settings(tmp_path):
    readme_settings = _readme_deploy_settings()
    assert {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"} <= set(readme_settings)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in _DEPLOYMENT_VARIABLES},
            "VAR_DIR": str(tmp_path),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "VENDOR_CREDENTIALS_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "ALLOWED_HOSTS": "dialer.example.com",
            **readme_settings,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


_DEPLOYMENT_VARIABLES = {
    "DATABASE_URL",
    "DEBUG",
    "VENDOR_SANDBOX",
    "VENDOR_SANDBOX_ALLOW_PRODUCTION",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
}
_PRODUCTION_SECRETS = {
    "SECRET_KEY": "x" * 60,
    "VENDOR_CREDENTIALS_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
}


def test_the_sandbox_is_refused_with_debug_off(tmp_path):
    result = _run_django(
        "print('started')", VAR_DIR=str(tmp_path), DEBUG="0", VENDOR_SANDBOX="1",
        VENDOR_SANDBOX_ALLOW_PRODUCTION="0", **_PRODUCTION_SECRETS,
    )  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "VENDOR_SANDBOX_ALLOW_PRODUCTION=1" in result.stderr


def test_the_sandbox_with_debug_off_when_explicitly_allowed(tmp_path):
    result = _run_django(
        "from django.urls import resolve; print(resolve('/sandbox/acefone/').url_name)",
        VAR_DIR=str(tmp_path), DEBUG="0", VENDOR_SANDBOX="1",
        VENDOR_SANDBOX_ALLOW_PRODUCTION="1", **_PRODUCTION_SECRETS,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sandbox-root"


def test_the_sandbox_is_off_by_default_with_debug_off(tmp_path):
    result = _run_django(
        "from django.conf import settings; print(settings.VENDOR_SANDBOX)",
        VAR_DIR=str(tmp_path), DEBUG="0", **_PRODUCTION_SECRETS,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("debug", "backend"),
    [("1", "django.core.mail.backends.console.EmailBackend"),
     ("0", "django.core.mail.backends.smtp.EmailBackend")],
)  # fmt: skip
def test_e_mail_prints_on_the_console_in_development_and_goes_by_smtp_otherwise(
    tmp_path, debug, backend
):
    result = _run_django(
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        VAR_DIR=str(tmp_path), DEBUG=debug, EMAIL_BACKEND="", **_PRODUCTION_SECRETS,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend
