#!/usr/bin/env python3
"""Dialer Console developer entry point. Standard library only: it runs before the
virtualenv exists.

    python3 dev.py start    set up .venv, migrate, load demo data, run web + worker + beat
    python3 dev.py test     set up .venv and run the whole test suite
                            (pytest arguments pass through)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".dialer-console-installed"


def _say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def ensure_venv() -> None:
    """Create .venv and install the project with its dev extra, again only when
    pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on any python3
        sys.exit("Dialer Console needs Python 3.11 or newer.")
    if not PYTHON.exists():
        _say("Creating the virtualenv in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    _say("Installing Dialer Console and its dependencies")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(digest)


def manage(*args: str, env: dict | None = None, capture: bool = False) -> str:
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), *args],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return done.stdout or ""


READY_TIMEOUT_SECONDS = 90


# Without GNU gettext's msgfmt, polib (a dev dependency) writes the .mo files.
_POLIB_COMPILE = """
import pathlib, polib
for po in pathlib.Path("locale").glob("*/LC_MESSAGES/*.po"):
    polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
"""


def compile_messages() -> None:
    """The translations' .mo files from the committed .po files (the .mo are not in git)."""
    if shutil.which("msgfmt"):
        manage("compilemessages", "--ignore", ".venv", "-v", "0")
    else:
        subprocess.run([str(PYTHON), "-c", _POLIB_COMPILE], check=True, cwd=ROOT)


def _web_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own URL
            return response.status == 200
    except (OSError, ValueError):
        return False


def _wait_until_ready(processes: dict, login_url: str, ready_file: Path) -> bool:
    """Poll until the web server answers and the worker said it is ready; False when a
    process died or the time ran out."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    web_up = False
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes.values()):
            return False
        web_up = web_up or _web_answers(login_url)
        if web_up and ready_file.exists():
            return True
        time.sleep(0.5)
    return False


def start(port: int) -> None:
    ensure_venv()
    url = f"http://127.0.0.1:{port}/"
    ready_file = ROOT / "var" / "worker_ready"
    ready_file.unlink(missing_ok=True)
    env = {
        **os.environ,
        "SITE_URL": url.rstrip("/"),
        "CELERY_WORKER_READY_FILE": str(ready_file),
    }
    _say("Compiling the translations")
    compile_messages()
    _say("Migrating the database (SQLite under var/ unless DATABASE_URL is set)")
    manage("migrate", "--noinput", "-v", "0", env=env)
    _say("Loading the demo data")
    # Its list of logins is printed last, under the URL, once everything answers.
    logins = manage("demo_data", env=env, capture=True)
    # --quiet and WARNING: no banners and no routine INFO lines; warnings and errors (with
    # their tracebacks) still show.
    celery = [str(PYTHON), "-m", "celery", "-A", "dialer_console", "--quiet"]
    commands = {
        "web": [
            str(PYTHON),
            str(ROOT / "manage.py"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",  # `migrate` just ran them
        ],
        "worker": [*celery, "worker", "--loglevel", "WARNING", "--concurrency", "2"],
        "beat": [*celery, "beat", "--loglevel", "WARNING"],
    }
    # runserver's banner goes to stdout; its errors and request lines go to stderr.
    quiet = {"web": subprocess.DEVNULL}
    # A plain `kill` (SIGTERM) stops the three processes too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    _say("Starting the web server, the Celery worker and beat")
    processes = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=quiet.get(name))
        for name, cmd in commands.items()
    }
    try:
        if _wait_until_ready(processes, f"{url}accounts/login/", ready_file):
            _say(f"Dialer Console is running at {url}  (Ctrl-C stops it)")
            print(logins.rstrip(), flush=True)
        else:
            _say("The console did not come up; see the messages above")
        while all(process.poll() is None for process in processes.values()):
            time.sleep(1)
        stopped = [name for name, process in processes.items() if process.poll() is not None]
        _say(f"{', '.join(stopped)} stopped; shutting the rest down")
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test(pytest_args: list[str]) -> int:
    ensure_venv()
    compile_messages()
    pytest = [str(PYTHON), "-m", "pytest"]
    if pytest_args:
        return subprocess.run([*pytest, *pytest_args], cwd=ROOT).returncode
    # The whole suite: the browser journeys run in a second process beside the rest, so
    # both cores stay busy while a journey waits on its pages and worker. They get a test
    # database and cache keys of their own; their output follows the rest's.
    log = ROOT / "var" / "browser-journeys.log"
    log.parent.mkdir(exist_ok=True)
    env = {**os.environ, "DC_TEST_DB_SUFFIX": "journeys", "CACHE_KEY_PREFIX": "journeys"}
    with log.open("w") as output:
        journeys = subprocess.Popen(
            [*pytest, "-m", "e2e", "-p", "no:cacheprovider"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        rest = subprocess.run([*pytest, "-m", "not e2e"], cwd=ROOT).returncode
        journeys_code = journeys.wait()
    _say("Browser journeys (run beside the tests above)")
    print(log.read_text(), end="", flush=True)
    return rest or journeys_code


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="set up and run the console with demo data")
    start_parser.add_argument(
        "--port", type=int, default=8000, help="the web server's port (default 8000)"
    )
    commands.add_parser("test", help="run the whole test suite")
    args, rest = parser.parse_known_args()
    if args.command == "start":
        start(args.port)
    else:
        sys.exit(test(rest))


if __name__ == "__main__":
    main()
