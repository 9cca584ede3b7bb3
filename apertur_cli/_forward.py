"""``apertur listen --forward-to``: re-deliver what a session sees as the webhooks the API sends.

* **Image deliveries** (``--forward-to``) are what a ``webhook`` destination receives for each
  uploaded image, in its ``config.format``: ``json_base64`` (a JSON document with the image as
  base64), ``multipart`` (form fields and the image in the ``image`` part) or ``binary`` (the raw
  bytes), with the ``X-Aptr-Session-Id``, ``X-Aptr-Image-Id`` and ``X-Aptr-Image-Index`` headers
  and ``X-Apertur-Signature`` over the exact body. The image is downloaded with the SDK when its
  ``image:ready`` event arrives; its index is its position in the session's delivery status.
* **Event deliveries** (``--forward-events-to``) are what an event webhook receives: the envelope
  ``{id, event, topic, project_id, data, timestamp}`` as compact JSON, signed per its
  ``signatureMethod`` (``hmac_sha256``: ``X-Apertur-Signature`` and ``X-Apertur-Timestamp``;
  ``svix``: the ``svix-*`` headers). ``image:ready`` becomes ``image.uploaded``,
  ``image:delivered``/``image:failed`` become ``image.delivered``/``image.failed`` and
  ``session:completed`` becomes ``session.completed``. A listener cannot read a session's
  ``metadata`` or an image's ``created_at`` through the API: forwarded events leave them out.

Signing uses ``apertur_ext``'s public helpers. A failed download or delivery is reported as that
delivery's outcome; it never stops the listener.
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import time
from typing import TYPE_CHECKING, Any, Literal

import attrs
import httpx

from apertur_ext import AperturError, event_headers, svix_headers, webhook_headers

from ._output import unset_to_none

if TYPE_CHECKING:
    from apertur_api.models.realtime_image_event import RealtimeImageEvent
    from apertur_ext import Apertur, Event

__all__ = ["IMAGE_FORMATS", "SIGNATURE_METHODS", "TOPICS", "Delivery", "Forwarder"]

IMAGE_FORMATS = ("json_base64", "multipart", "binary")
"""The ``config.format`` values of a webhook destination."""
SIGNATURE_METHODS = ("hmac_sha256", "svix")
"""The ``signatureMethod`` values of an event webhook."""
TOPICS = {
    "image:ready": "image.uploaded",
    "image:delivered": "image.delivered",
    "image:failed": "image.failed",
    "session:completed": "session.completed",
}
"""The event-webhook topic of each real-time event that has one."""
TIMEOUT = 10.0
"""Seconds a local endpoint gets to answer a delivery."""


@attrs.frozen
class Delivery:
    """One forwarded delivery: ``kind`` (``image`` or the event topic), the endpoint's
    ``status_code`` or the ``error`` that prevented an answer, and how long it took."""

    kind: str
    url: str
    status_code: int | None = None
    error: str | None = None
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        """Whether the endpoint answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300


@attrs.define
class Forwarder:
    """Builds, signs and sends the deliveries of each event (one at a time, in order)."""

    client: Apertur
    secret: str
    images_to: str | None = None
    image_format: Literal["json_base64", "multipart", "binary"] = "json_base64"
    events_to: str | None = None
    signature_method: Literal["hmac_sha256", "svix"] = "hmac_sha256"
    project_id: str | None = None
    projects: dict[str, str] = attrs.field(factory=dict)
    """The project of each session, when the sessions list told it."""
    _tags: dict[str, list[str]] = attrs.field(factory=dict)
    _http: httpx.Client = attrs.field(
        factory=lambda: httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)
    )

    def __repr__(self) -> str:
        return f"Forwarder(images_to={self.images_to!r}, events_to={self.events_to!r})"

    def check_secret(self) -> None:
        """Fail now, not at the first event, when the secret cannot sign (svix needs hex)."""
        if self.events_to and self.signature_method == "svix":
            svix_headers(b"{}", self.secret)

    def close(self) -> None:
        """Close the connections to the endpoints."""
        self._http.close()

    def deliveries(self, session: str, event: Event) -> list[Delivery]:
        """Forward ``event`` of ``session`` where asked; the outcome of each delivery."""
        done = []
        if self.images_to and event.name == "image:ready" and event.data is not None:
            done.append(self._deliver_image(self.images_to, session, event.data))
        topic = TOPICS.get(event.name)
        if self.events_to and topic and isinstance(event.raw, dict):
            done.append(self._deliver_event(self.events_to, topic, session, event))
        return done

    def _send(self, kind: str, request: httpx.Request) -> Delivery:
        """POST ``request`` as built (its exact signed bytes); the body of the answer is not
        read."""
        url, started, status, error = str(request.url), time.monotonic(), None, None
        try:
            answer = self._http.send(request, stream=True)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            answer.close()
            status = answer.status_code
            error = None if 200 <= status < 300 else f"HTTP {status}"
        elapsed = round((time.monotonic() - started) * 1000)
        return Delivery(kind, url, status, error, elapsed)

    def _tags_of(self, session: str) -> list[str]:
        if session not in self._tags:
            tags = unset_to_none(self.client.sessions.get(session).tags)
            self._tags[session] = [str(tag) for tag in tags or []]
        return self._tags[session]

    def _deliver_image(self, url: str, session: str, image: RealtimeImageEvent) -> Delivery:
        try:
            data = self.client.uploads.download(image.image_id)
            rows = self.client.sessions.delivery_status(session).files
            index = next((n for n, f in enumerate(rows) if f.record_id == image.image_id), 0)
            tags = self._tags_of(session)
        except AperturError as exc:
            return Delivery("image", url, error=f"could not fetch the image: {exc}")
        filename = str(unset_to_none(image.filename) or image.image_id)
        mime_type = str(unset_to_none(image.mime_type) or "application/octet-stream")
        headers = {
            "X-Aptr-Session-Id": session,
            "X-Aptr-Image-Id": image.image_id,
            "X-Aptr-Image-Index": str(index),
        }
        if self.image_format == "json_base64":
            document = {
                "session_id": session,
                "image_id": image.image_id,
                "image_index": index,
                "mime_type": mime_type,
                "filename": filename,
                "size_bytes": len(data),
                "data": base64.b64encode(data).decode("ascii"),
                "tags": tags,
            }
            request = _json_request(url, document, headers)
        elif self.image_format == "multipart":
            fields = {
                "session_id": session,
                "image_id": image.image_id,
                "filename": filename,
                "mime_type": mime_type,
                "tags": tags,
            }
            files = {"image": (filename, data, mime_type)}
            request = httpx.Request("POST", url, headers=headers, data=fields, files=files)
            request.read()
        else:
            headers["Content-Type"] = "application/octet-stream"
            request = httpx.Request("POST", url, headers=headers, content=data)
        request.headers.update(webhook_headers(request.content, self.secret))
        return self._send("image", request)

    def _deliver_event(self, url: str, topic: str, session: str, event: Event) -> Delivery:
        try:
            data = self._event_data(session, event)
            project = self.project_id or self.projects.get(session) or self._find_project(session)
        except AperturError as exc:
            return Delivery(topic, url, error=f"could not describe the event: {exc}")
        event_id = f"evt_{secrets.token_hex(12)}"
        envelope = {
            "id": event_id,
            "event": topic,
            "topic": topic,
            "project_id": project,
            "data": data,
            "timestamp": _now_iso(),
        }
        request = _json_request(url, envelope, {})
        body = request.content
        if self.signature_method == "svix":
            request.headers.update(svix_headers(body, self.secret, msg_id=event_id))
        else:
            request.headers.update(event_headers(body, self.secret))
        return self._send(topic, request)

    def _event_data(self, session: str, event: Event) -> dict[str, Any]:
        """The ``data`` of the event-webhook envelope, built from the real-time payload."""
        tags = self._tags_of(session)
        if event.data is None:  # session:completed
            count = event.raw.get("imagesCount")
            return {"session_id": session, "images_count": count, "tags": tags}
        image = event.data
        data: dict[str, Any] = {
            "id": image.image_id,
            "filename": unset_to_none(image.filename),
            "size_bytes": unset_to_none(image.size_bytes),
            "mime_type": unset_to_none(image.mime_type),
            "session_id": session,
            "download_url": f"{self.client.base_url}/api/v1/uploads/{image.image_id}/download",
            "tags": tags,
        }
        if event.name != "image:ready":
            data["destination_id"] = unset_to_none(image.destination_id)
            data["status"] = unset_to_none(image.status)
            data["error"] = unset_to_none(image.error)
        return data

    def _find_project(self, session: str) -> str | None:
        for row in self.client.sessions.recent(limit=50):
            project = unset_to_none(row.project_id)
            if project:
                self.projects[row.id] = project
        return self.projects.get(session)


def _now_iso() -> str:
    """Now as the API writes times: ``2026-06-12T09:44:41.919Z``."""
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _json_request(url: str, document: dict[str, Any], headers: dict[str, str]) -> httpx.Request:
    body = json.dumps(document, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return httpx.Request(
        "POST", url, headers={**headers, "Content-Type": "application/json"}, content=body
    )
