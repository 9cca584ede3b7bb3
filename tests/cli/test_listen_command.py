"""``apertur listen`` end to end: the command runs as a process against apertur_local and
forwards each image and event to a Flask handler on loopback that checks them with apertur_ext's
verifiers, as a developer's own handler would.

Waits are on lines the process prints (with generous bounds), never on a clock.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from clihelpers import Run, one_line_error
from flask import Flask, request
from werkzeug.serving import make_server

from apertur_cli._demo_images import make_png
from apertur_ext import Apertur, Webhook, decode_image_data, parse_event, parse_image_delivery
from apertur_local import LocalApertur

SECRET = "0123456789abcdef0123456789abcdef"  # hex: usable by all three signature schemes
WAIT = 30.0


class Receiver:
    """A webhook handler written as a user would (Flask), on loopback: every delivery it accepts
    has been verified; anything else is answered 400 and recorded as refused."""

    def __init__(self, signature_method: str = "hmac_sha256", status: int = 200) -> None:
        self.images: list[dict[str, Any]] = []
        self.events: list[Any] = []
        self.refused: list[str] = []
        self.status = status
        app = Flask(__name__)
        app.add_url_rule("/images", "images", self._image, methods=["POST"])
        app.add_url_rule("/events", "events", self._event, methods=["POST"])
        self._method = signature_method
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _image(self) -> tuple[str, int]:
        raw = request.get_data(cache=True)
        try:
            Webhook(SECRET, method="image").verify(raw, request.headers)
            kind = request.mimetype
            if kind == "application/json":
                payload = parse_image_delivery(raw, request.headers, SECRET)
                data, fields = decode_image_data(payload), payload.to_dict()
                del fields["data"]
            elif kind == "multipart/form-data":
                data = request.files["image"].read()
                fields = {**request.form.to_dict(), "tags": request.form.getlist("tags")}
            else:
                data, fields = raw, {}
        except Exception as exc:
            self.refused.append(repr(exc))
            return "refused", 400
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-aptr-")}
        self.images.append({"sha256": _sha(data), "fields": fields, "headers": headers})
        return "ok", self.status

    def _event(self) -> tuple[str, int]:
        try:
            envelope = parse_event(request.get_data(), request.headers, SECRET, method=self._method)
        except Exception as exc:
            self.refused.append(repr(exc))
            return "refused", 400
        self.events.append(envelope)
        return "ok", self.status

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()


class Listening:
    """``apertur listen ...`` as a process; its output lines on queues."""

    def __init__(self, server: LocalApertur, *args: str) -> None:
        env = {
            **os.environ,
            "APERTUR_API_KEY": server.api_key,
            "APERTUR_BASE_URL": server.url,
            "PYTHONUNBUFFERED": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "apertur_cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self._pumps = [
            threading.Thread(target=_pump, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for pump in self._pumps:
            pump.start()
        while not self.err.get(timeout=WAIT).startswith("Listening"):
            pass  # a warning printed before it

    def json_lines(self, until: Any) -> list[dict[str, Any]]:
        """Parsed stdout lines, up to the first one for which ``until(line)`` is true."""
        lines = []
        while True:
            line = json.loads(self.out.get(timeout=WAIT))
            lines.append(line)
            if until(line):
                return lines

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """End the command with ``signum`` (its exit code), then :meth:`close`."""
        self.process.send_signal(signum)
        code = self.process.wait(WAIT)
        self.close()
        if code != 0:  # shown with the failing test: what the command said on stderr
            print("apertur listen stderr:", *_drained(self.err), sep="\n")
        return code

    def close(self) -> None:
        """Once the command ended: read its output pipes to the end, then close them."""
        for pump in self._pumps:
            pump.join(WAIT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _drained(lines: queue.Queue[str]) -> list[str]:
    """What is left in ``lines``, without waiting."""
    left = []
    while not lines.empty():
        left.append(lines.get_nowait())
    return left


def _pump(stream: Any, lines: queue.Queue[str]) -> None:
    with stream:  # closed at the end of the output: no pipe left for the garbage collector
        for line in stream:
            lines.put(line.rstrip("\n"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def api(apertur_local: LocalApertur) -> Iterator[Apertur]:
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        yield client


def _upload(api: Apertur, session: str, count: int) -> dict[str, str]:
    """Upload ``count`` images; their sha256 by image id."""
    shas = {}
    for n in range(count):
        data = make_png(8, 8, seed=n)
        shas[api.upload.image(session, data, filename=f"p{n}.png").id] = _sha(data)
    return shas


def test_forwards_images_and_events_that_the_verifiers_accept(
    apertur_local: LocalApertur, api: Apertur
) -> None:
    session = api.sessions.create(tags=["order-7"]).id
    with Receiver() as receiver:
        listening = Listening(
            apertur_local,
            "--json",
            "listen",
            session,
            "--forward-to",
            f"{receiver.url}/images",
            "--forward-events-to",
            f"{receiver.url}/events",
            "--secret",
            SECRET,
        )
        try:
            shas = _upload(api, session, 2)
            ready = [
                line
                for line in listening.json_lines(
                    lambda line: line["data"].get("image_id") == list(shas)[-1]
                )
                if line["event"] == "image:ready"
            ]
        finally:
            assert listening.stop() == 0
    assert [line["data"]["image_id"] for line in ready] == list(shas)
    for line in ready:
        assert [(d["kind"], d["status_code"], d["error"]) for d in line["deliveries"]] == [
            ("image", 200, None),
            ("image.uploaded", 200, None),
        ]
    assert receiver.refused == []
    assert [image["sha256"] for image in receiver.images] == list(shas.values())
    first = receiver.images[0]
    assert first["headers"] == {
        "X-Aptr-Session-Id": session,
        "X-Aptr-Image-Id": list(shas)[0],
        "X-Aptr-Image-Index": "0",
    }
    assert first["fields"]["image_index"] == 0
    assert first["fields"]["tags"] == ["order-7"]
    assert receiver.images[1]["fields"]["image_index"] == 1
    event = receiver.events[0]
    assert (event.event, event.topic, event.project_id) == (
        "image.uploaded",
        "image.uploaded",
        apertur_local.project_id,
    )
    assert event.data.id == list(shas)[0]
    assert event.data.tags == ["order-7"]


@pytest.mark.parametrize(("image_format", "method"), [("multipart", "svix"), ("binary", "svix")])
def test_other_formats_and_svix(
    apertur_local: LocalApertur, api: Apertur, image_format: str, method: str
) -> None:
    session = api.sessions.create().id
    with Receiver(signature_method=method) as receiver:
        listening = Listening(
            apertur_local,
            "--json",
            "listen",
            session,
            "--forward-to",
            f"{receiver.url}/images",
            "--format",
            image_format,
            "--forward-events-to",
            f"{receiver.url}/events",
            "--signature-method",
            method,
            "--secret",
            SECRET,
        )
        try:
            shas = _upload(api, session, 1)
            listening.json_lines(lambda line: line["event"] == "image:ready")
        finally:
            assert listening.stop() == 0
    assert receiver.refused == []
    assert [image["sha256"] for image in receiver.images] == list(shas.values())
    assert receiver.images[0]["headers"]["X-Aptr-Image-Id"] == list(shas)[0]
    if image_format == "multipart":
        assert receiver.images[0]["fields"]["image_id"] == list(shas)[0]
    assert [event.topic for event in receiver.events] == ["image.uploaded"]


def test_shows_the_endpoint_answer_and_carries_on(
    apertur_local: LocalApertur, api: Apertur
) -> None:
    session = api.sessions.create().id
    with Receiver(status=500) as receiver:
        listening = Listening(
            apertur_local,
            "listen",
            session,
            "--forward-to",
            f"{receiver.url}/images",
            "--secret",
            SECRET,
        )
        try:
            _upload(api, session, 1)
            lines = []
            while "image:ready" not in "".join(lines):
                lines.append(listening.out.get(timeout=WAIT))
            lines.append(listening.out.get(timeout=WAIT))  # the delivery's line
        finally:
            assert listening.stop() == 0
    text = "\n".join(lines)
    assert "→ image" in text
    assert "HTTP 500" in text
    assert len(receiver.images) == 1


def test_all_sessions_watches_new_sessions_from_their_first_event(
    apertur_local: LocalApertur, api: Apertur
) -> None:
    api.sessions.create()  # an existing session is not watched
    listening = Listening(apertur_local, "--json", "listen", "--all-sessions", "--interval", "0.5")
    try:
        session = api.sessions.create().id
        shas = _upload(api, session, 1)  # most likely before the session is discovered
        lines = listening.json_lines(lambda line: line["event"] == "image:ready")
    finally:
        assert listening.stop() == 0
    assert lines[-1]["session_id"] == session
    assert lines[-1]["data"]["image_id"] == list(shas)[0]


def test_quiet_prints_image_ids(apertur_local: LocalApertur, api: Apertur) -> None:
    session = api.sessions.create().id
    listening = Listening(apertur_local, "-q", "listen", session)
    try:
        shas = _upload(api, session, 2)
        ids = [listening.out.get(timeout=WAIT) for _ in shas]
    finally:
        assert listening.stop() == 0
    assert ids == list(shas)


def test_ctrl_c_ends_it_cleanly_too(apertur_local: LocalApertur, api: Apertur) -> None:
    session = api.sessions.create().id
    listening = Listening(apertur_local, "-q", "listen", session)
    try:
        shas = _upload(api, session, 1)
        assert listening.out.get(timeout=WAIT) == list(shas)[0]
    finally:
        assert listening.stop(signal.SIGINT) == 0


def test_a_session_that_goes_away_ends_the_command(
    apertur_local: LocalApertur, api: Apertur
) -> None:
    session = api.sessions.create().id
    listening = Listening(apertur_local, "listen", session)
    apertur_local.reset()  # the session is gone: the stream ends and cannot be reopened
    assert listening.process.wait(WAIT) == 1
    listening.close()
    error = listening.err.get(timeout=WAIT)
    assert error.startswith(f"apertur: error: stopped listening to session {session}")
    assert "not found" in error.lower()


def test_usage_errors(run: Run, api: Apertur) -> None:
    session = api.sessions.create().id
    assert "SESSION or --all-sessions" in one_line_error(run("listen"))
    assert "SESSION or --all-sessions" in one_line_error(run("listen", session, "--all-sessions"))
    assert "need --secret" in one_line_error(run("listen", session, "--forward-to", "http://x/"))
    bad_url = run("listen", session, "--forward-to", "ftp://x/", "--secret", "s")
    assert "http:// or https://" in one_line_error(bad_url)
    svix = run(
        "listen",
        session,
        "--forward-events-to",
        "http://127.0.0.1:9/",
        "--signature-method",
        "svix",
        "--secret",
        "not hex!",
    )
    assert svix.exit_code == 1
    assert "secret" in one_line_error(svix)
    missing = run("listen", "no-such-session")
    assert missing.exit_code == 1
    assert "not found" in one_line_error(missing).lower()
