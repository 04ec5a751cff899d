"""Serve the vendor emulators from a standalone threaded HTTP server, outside Django's
request cycle: for benchmarks and reliability tests over real HTTP.

Each vendor is under ``http://<host>:<port>/sandbox/<kind>/``, the same paths as the
console's own ``/sandbox/`` mount, with the same ``_faults``/``_dial``/``_reset`` controls.
"""

from __future__ import annotations

import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand

from vendors.sandbox import (
    CONTROL_ACTIONS,
    CONTROL_TOKEN_HEADER,
    SandboxReply,
    sandbox_answer,
    sandbox_control,
)

_PATH = re.compile(r"^/sandbox/(?P<kind>[a-z]+)(?P<rest>/[^?]*)?")


class SandboxRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DialerConsoleSandbox/1"
    quiet = False
    # Headers and body go out in separate writes; with Nagle on, each reply then waits
    # ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        match = _PATH.match(self.path)
        if match is None:
            reply = SandboxReply(404, b'{"message": "Use /sandbox/<kind>/..."}', {})
        else:
            reply = self._answer(match.group("kind"), match.group("rest") or "/", body)
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _answer(self, kind: str, rest: str, body: bytes) -> SandboxReply:
        action = rest.strip("/")
        if action in CONTROL_ACTIONS:
            return sandbox_control(
                kind=kind,
                action=action,
                method=self.command,
                token=self.headers.get(CONTROL_TOKEN_HEADER, ""),
                body=body,
            )
        host = self.headers.get("Host") or f"{self.server.server_address[0]}"
        return sandbox_answer(
            kind=kind,
            mount=f"/sandbox/{kind}",
            method=self.command,
            url=f"http://{host}{self.path}",
            headers=dict(self.headers.items()),
            body=body,
        )

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        if not self.quiet:
            super().log_message(format, *args)


class Command(BaseCommand):
    help = "Serve the five vendor emulators over HTTP at /sandbox/<kind>/ (standalone)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--quiet", action="store_true", help="Do not log each request.")

    def handle(self, *args, host: str, port: int, quiet: bool, **options):
        SandboxRequestHandler.quiet = quiet
        server = ThreadingHTTPServer((host, port), SandboxRequestHandler)
        server.daemon_threads = True
        self.stdout.write(f"Vendor sandbox on http://{host}:{port}/sandbox/<kind>/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
