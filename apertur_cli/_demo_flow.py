"""The demo's steps: what a user does with Apertur, end to end, against a local server.

Each step is a method returning a one-line description of what it did, or raising when something
is wrong; :mod:`apertur_cli.demo` runs them in order and prints ✓ / ✗. Only the client's public
API is used, as a user would use it: the bootstrap key sets the project up (a webhook destination
and an event webhook pointing at :class:`~apertur_cli._demo_receiver.Receiver`, a new API key),
then the new key does the rest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx

from apertur_api.models.delivery_status import DeliveryStatus
from apertur_api.models.poll_image import PollImage
from apertur_ext import Apertur, all_sent, at_least
from apertur_local import LocalApertur

from ._atomic import AtomicFile, safe_name
from ._demo_images import make_jpeg, make_png
from ._demo_receiver import Receiver
from ._output import unset_to_none

__all__ = ["DemoFlow", "DemoStepError"]

TOPICS = ("image.uploaded", "image.delivered", "session.completed")
WAIT = 20.0
"""Seconds any single wait may take before the step fails (the whole demo takes a few)."""


class DemoStepError(Exception):
    """A check of the demo failed; the message says what was expected."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise DemoStepError(message)


class DemoFlow:
    """State shared by the steps; built around a running server and receiver."""

    def __init__(self, server: LocalApertur, receiver: Receiver, output: Path) -> None:
        self.server = server
        self.receiver = receiver
        self.output = output
        self.admin = Apertur(server.api_key, base_url=server.url)
        self.client: Apertur | None = None
        self.password = secrets.token_urlsafe(12)
        self.samples = {
            "plain-1.png": make_png(96, 64, seed=1),
            "plain-2.png": make_png(64, 64, seed=2),
            "plain-3.jpg": make_jpeg(12, 8, seed=3),
            "secret-4.png": make_png(80, 48, seed=4),
            "secret-5.jpg": make_jpeg(8, 8, seed=5),
        }
        self.uuid = ""
        self.destination_id = ""
        self.page_uuid = ""
        self.page_url = ""

    def close(self) -> None:
        """Close both clients."""
        self.admin.close()
        if self.client is not None:
            self.client.close()

    @property
    def user(self) -> Apertur:
        """The client of the key created by :meth:`create_key`."""
        if self.client is None:
            raise DemoStepError("no API key was created")
        return self.client

    # --- project set-up (bootstrap key) -------------------------------------------------------

    def create_destination(self) -> str:
        dest = self.admin.destinations.create(
            self.server.project_id,
            type="webhook",
            name="demo receiver",
            config={
                "url": f"{self.receiver.url}/images",
                "format": "json_base64",
                "secret": self.receiver.image_secret,
            },
        )
        self.destination_id = dest.id
        return "webhook destination → receiver /images (json_base64, signed)"

    def create_event_webhook(self) -> str:
        hook = self.admin.webhooks.create(
            self.server.project_id,
            url=f"{self.receiver.url}/events",
            topics=list(TOPICS),
            signature_method="hmac_sha256",
        )
        _check(isinstance(hook.secret, str) and bool(hook.secret), "webhook has no secret")
        self.receiver.event_secret = str(hook.secret)
        return f"event webhook → receiver /events (hmac_sha256, {len(TOPICS)} topics)"

    def create_key(self) -> str:
        created = self.admin.keys.create(self.server.project_id, label="demo key")
        self.admin.keys.set_destinations(
            created.key.id, [self.destination_id], long_polling_enabled=True
        )
        self.client = Apertur(created.plain_text_key, base_url=self.server.url)
        return "new API key 'demo key' for the rest (its value is never printed)"

    # --- the user's flow (new key) ------------------------------------------------------------

    def create_session(self) -> str:
        created = self.user.sessions.create(
            password=self.password,
            long_polling=True,
            destination_ids=[self.destination_id],
            max_images=len(self.samples),
            tags=["demo"],
        )
        self.uuid = created.id
        _check(created.password_protected is True, "session is not password-protected")
        return f"password-protected long-polling session → {created.upload_url}"

    def save_qr(self) -> str:
        target = self.output / "session-qr.png"
        written = self.user.sessions.qr(self.uuid, format="png", size=320, to=target)
        _check(target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), "QR code is not a PNG")
        return f"QR code saved to {target} ({written} bytes)"

    def upload_plain(self) -> str:
        names = [name for name in self.samples if name.startswith("plain")]
        for name in names:
            self.user.upload.image(
                self.uuid, self.samples[name], filename=name, password=self.password
            )
        return f"uploaded {len(names)} images ({', '.join(names)})"

    def upload_encrypted(self) -> str:
        public_key = self.user.encryption.get_server_key().public_key
        names = [name for name in self.samples if name.startswith("secret")]
        for name in names:
            self.user.upload.image_encrypted(
                self.uuid, self.samples[name], public_key, filename=name, password=self.password
            )
        return f"uploaded {len(names)} images encrypted (RSA-OAEP + AES-256-GCM)"

    def follow_delivery(self) -> str:
        status: DeliveryStatus = self.user.sessions.wait_for_delivery(
            self.uuid, at_least(len(self.samples), all_sent), timeout=WAIT, min_interval=0.1
        )
        files = len(status.files)
        return f"delivery status followed (long-poll): {files}/{len(self.samples)} files sent"

    def drain_queue(self) -> str:
        received: dict[str, str] = {}

        def handle(image: PollImage, data: bytes) -> None:
            name = Path(str(image.filename)).name
            with AtomicFile(self.output / name) as file:
                file.file.write(data)
                file.commit()
            received[name] = _sha(data)

        summary = self.user.polling.poll_and_process(
            self.uuid, handle, interval=0.2, timeout=WAIT, max_images=len(self.samples)
        )
        expected = {name: _sha(data) for name, data in self.samples.items()}
        _check(received == expected, f"SHA-256 mismatch or missing files: got {sorted(received)}")
        _check(not self.user.polling.list(self.uuid).images, "queue not empty after the drain")
        return f"poll_and_process: {summary.acknowledged} images saved + acked, SHA-256 match"

    # --- the upload page a person opens -------------------------------------------------------

    def open_page_session(self) -> str:
        created = self.user.sessions.create(long_polling=True, tags=["demo", "try-it"])
        self.page_uuid, self.page_url = created.id, str(created.upload_url)
        page = httpx.get(f"{self.server.url}/u/{created.id}", trust_env=False, timeout=WAIT)
        _check(page.status_code == 200, f"upload page answered {page.status_code}")
        _check(f'data-session="{created.id}"' in page.text, "upload page does not name its session")
        return f"upload page served for a fresh session → {self.page_url}"

    def receive_from_page(self, report: Callable[[str], None], stop: threading.Event) -> int:
        """Save what people send through the page into ``output/from-page`` until ``stop``."""
        folder = self.output / "from-page"
        folder.mkdir(parents=True, exist_ok=True)

        def handle(image: PollImage, data: bytes) -> None:
            name = safe_name(image.id, unset_to_none(image.filename))  # a sender picks the name
            with AtomicFile(folder / name) as file:
                file.file.write(data)
                file.commit()
            report(f"received {image.filename} ({len(data)} bytes, sha256 {_sha(data)[:12]}…)")

        summary = self.user.polling.poll_and_process(
            self.page_uuid, handle, interval=0.5, stop=stop
        )
        return summary.acknowledged

    # --- what the receiver saw ----------------------------------------------------------------

    def check_image_deliveries(self) -> str:
        got = self.receiver.wait_for("image", len(self.samples), WAIT)
        _check(all(r.valid for r in got), "an image delivery failed signature verification")
        hashes = {}
        for item in got:
            payload = json.loads(item.body)
            hashes[payload["filename"]] = _sha(base64.b64decode(payload["data"]))
        expected = {name: _sha(data) for name, data in self.samples.items()}
        _check(hashes == expected, f"deliveries do not match the uploads: {sorted(hashes)}")
        return f"{len(got)} image webhooks: signatures verified, SHA-256 match"

    def check_events(self) -> str:
        wanted = 2 * len(self.samples) + 1  # uploaded + delivered per image, session completed
        got = self.receiver.wait_for("event", wanted, WAIT)
        _check(all(r.valid for r in got), "an event failed verify_event_signature")
        topics = Counter(json.loads(r.body).get("topic") for r in got)
        _check(all(topics[t] for t in TOPICS), f"missing event topics: got {dict(topics)}")
        listed = ", ".join(f"{n} {t}" for t, n in sorted(topics.items()))
        return f"{len(got)} event webhooks verified: {listed}"
