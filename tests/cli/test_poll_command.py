"""``apertur poll``: download, write safely, then acknowledge."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest.mock import ANY
from urllib.parse import unquote

import pytest
from clihelpers import Run, sha256

from apertur_cli._demo_images import make_jpeg, make_png
from apertur_ext import Apertur


def test_poll_saves_every_image_then_acks(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    originals = {"a.png": make_png(24, 24, seed=5), "b.jpg": make_jpeg(3, 3, seed=6)}
    for name, data in originals.items():
        client.upload.image(uuid, data, filename=name)
    out = tmp_path / "received"
    result = run("--json", "poll", uuid, "--out", str(out), "--concurrency", "2")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["failed"] == []
    assert sorted(item["filename"] for item in report["saved"]) == ["a.png", "b.jpg"]
    for item in report["saved"]:
        path = Path(item["path"])
        assert path.parent == out
        assert path.name == f"{item['id']}_{item['filename']}"
        assert sha256(path.read_bytes()) == sha256(originals[item["filename"]])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        Path(i["path"]).name for i in report["saved"]
    )  # no temporary file left behind
    assert client.polling.list(uuid).images == []  # acknowledged
    again = json.loads(run("--json", "poll", uuid, "--out", str(out)).stdout)
    assert again == {"saved": [], "failed": [], "not_started": 0, "interrupted": False}


def test_poll_summary_for_people(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    client.upload.image(uuid, make_png(8, 8), filename="one.png")
    result = run("poll", uuid, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 saved to" in result.stdout
    assert "acknowledged" in result.stdout
    assert "download 1/1 files" in result.stderr


def test_follow_keeps_polling_until_ctrl_c(
    client: Apertur, env: dict[str, str], tmp_path: Path
) -> None:
    uuid = client.sessions.create(long_polling=True).id
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apertur_cli",
            "--json",
            "poll",
            uuid,
            "--out",
            str(out),
            "--follow",
            "--interval",
            "0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        client.upload.image(uuid, make_png(8, 8, seed=9), filename="late.png")
        deadline = time.monotonic() + 30
        while not (out.exists() and any(p.suffix == ".png" for p in out.iterdir())):
            assert time.monotonic() < deadline, "the followed image never arrived"
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    report = json.loads(stdout)
    assert [item["filename"] for item in report["saved"]] == ["late.png"]


def test_empty_queue_says_so(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    result = run("poll", uuid, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no images are queued for this session; nothing to do"
    assert "0/0" not in result.stderr


def wait_for_polls(server, count: int) -> None:
    """Until the server has answered ``count`` polls of the queue (seen through a no-op fault)."""
    import httpx

    faults = server.url + "/_local/faults"
    rule = {"method": "GET", "path": "/poll$", "action": "delay", "delay": 0, "count": 1000}
    httpx.post(faults, json=rule, trust_env=False).raise_for_status()
    deadline = time.monotonic() + 60
    while httpx.get(faults, trust_env=False).json()["injected"].get("delay", 0) < count:
        assert time.monotonic() < deadline, "the command never polled"
        time.sleep(0.05)


def test_idle_follow_then_ctrl_c_says_nothing_was_done(
    client: Apertur, apertur_local, env: dict[str, str], tmp_path: Path
) -> None:
    uuid = client.sessions.create(long_polling=True).id
    process = subprocess.Popen(
        [sys.executable, "-m", "apertur_cli", "poll", uuid, "--out", str(tmp_path), "--follow",
         "--interval", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
    )  # fmt: skip
    try:
        wait_for_polls(apertur_local, 2)  # idle: two polls of an empty queue
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert stdout.strip() == "stopped: no image was downloaded; nothing was acknowledged"
    assert "0/0" not in stderr
    assert "Traceback" not in stderr


def test_an_image_acknowledged_by_another_consumer_is_counted_apart(
    run: Run, client: Apertur, apertur_local, tmp_path: Path
) -> None:
    import httpx

    uuid = client.sessions.create(long_polling=True).id
    client.upload.image(uuid, make_png(8, 8, seed=3), filename="shared.png")
    rule = {"path": "/ack$", "action": "status", "status": 409,
            "body": {"message": "Image already acknowledged", "code": "CONFLICT"}}  # fmt: skip
    httpx.post(apertur_local.url + "/_local/faults", json=rule, trust_env=False)
    result = run("poll", uuid, "--out", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert "0 saved to" in result.stdout
    assert "1 saved but already acknowledged by another consumer" in result.stdout
    httpx.post(apertur_local.url + "/_local/faults", json=rule, trust_env=False)
    report = json.loads(run("--json", "poll", uuid, "--out", str(tmp_path / "b")).stdout)
    assert [item["acknowledged_elsewhere"] for item in report["saved"]] == [True]


def test_a_download_of_another_size_than_listed_is_not_saved_nor_acknowledged(
    run: Run, client: Apertur, apertur_local, tmp_path: Path
) -> None:
    """The real server, each download answered (once) 200 with a body shorter or longer than the
    listing's ``size_bytes``: both images fail, nothing is written, they stay queued, and the
    next run saves them."""
    import httpx

    uuid = client.sessions.create(long_polling=True).id
    originals = {"short.png": make_png(8, 8, seed=4), "long.png": make_png(2, 2, seed=5)}
    ids = {
        client.upload.image(uuid, data, filename=name).id: name for name, data in originals.items()
    }
    short_id, long_id = ids
    faults = [
        {"method": "GET", "path": f"/images/{short_id}$", "action": "status", "status": 200},
        {"method": "GET", "path": f"/images/{long_id}$", "action": "status", "status": 200,
         "body": {"message": "x" * 1000}},
    ]  # fmt: skip
    httpx.post(apertur_local.url + "/_local/faults", json=faults, trust_env=False)
    result = run("--json", "poll", uuid, "--out", str(tmp_path))
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["saved"] == []
    errors = {item["id"]: item["error"] for item in report["failed"]}
    assert f"but size_bytes is {len(originals['short.png'])}" in errors[short_id]
    assert f"larger than {len(originals['long.png'])} bytes (max_bytes)" in errors[long_id]
    assert list(tmp_path.iterdir()) == []
    assert {image.id for image in client.polling.list(uuid).images} == set(ids)
    again = json.loads(run("--json", "poll", uuid, "--out", str(tmp_path)).stdout)
    assert again["failed"] == []
    for item in again["saved"]:
        assert sha256(Path(item["path"]).read_bytes()) == sha256(originals[ids[item["id"]]])
    assert len(again["saved"]) == 2


class FakeQueue(BaseHTTPRequestHandler):
    """A session's queue on loopback: ``listed`` as the listing's images (as given), each
    downloaded as ``bodies[id]``; acknowledged ids go to ``acked``."""

    listed: list[dict[str, object]]
    bodies: dict[str, bytes]
    acked: list[str]

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = unquote(self.path)
        if path.endswith("/poll"):
            pending = [image for image in self.listed if image["id"] not in self.acked]
            self.answer(json.dumps({"images": pending}).encode(), "application/json")
        else:
            self.answer(self.bodies[path.rsplit("/", 1)[1]], "image/jpeg")

    def do_POST(self) -> None:  # noqa: N802
        self.acked.append(unquote(self.path).rsplit("/", 2)[1])
        self.answer(b'{"status": "acknowledged"}', "application/json")

    def answer(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_queue() -> Iterator[Callable[[list[dict[str, object]], dict[str, bytes]], Any]]:
    """``fake_queue(listed, bodies)``: serve a :class:`FakeQueue`; returns its handler class
    (``.url``, ``.acked``)."""
    servers: list[ThreadingHTTPServer] = []

    def serve(listed: list[dict[str, object]], bodies: dict[str, bytes]) -> Any:
        handler = type("Queue", (FakeQueue,), {"listed": listed, "bodies": bodies, "acked": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        handler.url = f"http://127.0.0.1:{server.server_address[1]}"
        return handler

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_an_empty_download_is_not_saved_nor_acknowledged(
    run: Run, tmp_path: Path, fake_queue: Any
) -> None:
    queue = fake_queue([{"id": "img_1", "filename": "photo.jpg"}], {"img_1": b""})
    result = run("--json", "poll", "s1", "--out", str(tmp_path),
                 extra_env={"APERTUR_BASE_URL": queue.url})  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["saved"] == []
    assert report["failed"] == [{"id": "img_1", "error": ANY}]
    assert "the download of image img_1 is empty" in report["failed"][0]["error"]
    assert list(tmp_path.iterdir()) == []
    assert queue.acked == []


def test_images_whose_ids_sanitise_alike_get_files_of_their_own(
    run: Run, tmp_path: Path, fake_queue: Any
) -> None:
    """Ids that read alike once made safe for a file name ("a b", "a_b"; two long ids cut at
    the same place; an id ending where another's filename begins) are each saved to a file of
    their own; each file holds its own image."""
    long = "img_" + "7" * 300
    listed = [
        {"id": "a b", "filename": "same.jpg"},
        {"id": "a_b", "filename": "same.jpg"},
        {"id": long + "1", "filename": "x.jpg"},
        {"id": long + "2", "filename": "x.jpg"},
        {"id": "img_1", "filename": "2_x.jpg"},
        {"id": "img_1_2", "filename": "x.jpg"},
    ]
    bodies = {str(image["id"]): f"image {image['id']}".encode() for image in listed}
    queue = fake_queue(listed, bodies)
    result = run("--json", "poll", "s1", "--out", str(tmp_path),
                 extra_env={"APERTUR_BASE_URL": queue.url})  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = json.loads(result.stdout)["saved"]
    assert sorted(item["id"] for item in saved) == sorted(bodies)
    assert len({item["path"] for item in saved}) == len(listed)
    for item in saved:
        assert Path(item["path"]).read_bytes() == bodies[item["id"]]
    assert len(list(tmp_path.iterdir())) == len(listed)
    assert sorted(queue.acked) == sorted(bodies)
