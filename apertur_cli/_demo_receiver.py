"""The demo's webhook receiver: a loopback HTTP server that verifies what Apertur sends it.

``POST /images`` takes image deliveries of a webhook destination and checks
``X-Apertur-Signature`` with :func:`~apertur_ext.verify_webhook_request`; ``POST /events`` takes
event webhooks (``hmac_sha256``) and checks them with :func:`~apertur_ext.verify_event_signature`.
Each request is answered 200 when it verifies, 401 when not, and recorded either way, so the demo
can assert what arrived and that it verified. This is the handler a user would write, minus the
web framework.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

import attrs

from apertur_ext import verify_event_signature, verify_webhook_request

__all__ = ["Received", "Receiver"]

Kind = Literal["image", "event"]


@attrs.frozen
class Received:
    """One request that reached the receiver."""

    kind: Kind
    valid: bool
    body: bytes
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        receiver = self.server.receiver
        if self.path.startswith("/images"):
            valid = verify_webhook_request(headers, body, receiver.image_secret)
            receiver.record(Received("image", valid, body, headers))
        elif self.path.startswith("/events") and receiver.event_secret:
            valid = verify_event_signature(
                body,
                headers.get("x-apertur-timestamp"),
                headers.get("x-apertur-signature"),
                receiver.event_secret,
            )
            receiver.record(Received("event", valid, body, headers))
        else:
            valid = False
        self.send_response(200 if valid else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log lines."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: Receiver


class Receiver:
    """A running receiver; ``url`` is its base URL. Use as a context manager."""

    def __init__(self, image_secret: str, event_secret: str | None = None) -> None:
        self.image_secret = image_secret
        self.event_secret = event_secret
        self._received: list[Received] = []
        self._changed = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.receiver = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="demo-receiver", daemon=True
        )
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def record(self, item: Received) -> None:
        """Store one request and wake up :meth:`wait_for`."""
        with self._changed:
            self._received.append(item)
            self._changed.notify_all()

    def received(self, kind: Kind) -> list[Received]:
        """What arrived so far of ``kind``."""
        with self._changed:
            return [r for r in self._received if r.kind == kind]

    def wait_for(self, kind: Kind, count: int, timeout: float) -> list[Received]:
        """Wait until ``count`` requests of ``kind`` arrived (or ``timeout`` s); return them."""
        with self._changed:
            self._changed.wait_for(
                lambda: sum(r.kind == kind for r in self._received) >= count, timeout
            )
            return [r for r in self._received if r.kind == kind]
