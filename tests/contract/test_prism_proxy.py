"""An end-to-end flow through Prism's validating proxy: any request our client sends or any
response the local server answers that breaks openapi.yaml fails the test.

Prism 5.14.2 (tools/package.json) runs as `prism proxy openapi.yaml <local server> --errors`:
a request violation becomes a 422 and a response violation a 500, which the client raises; every
other finding (warnings included) is printed on Prism's log, which the test reads at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from apertur_ext import Apertur, NotFoundError
from apertur_local import LocalApertur

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "tools" / "node_modules" / ".bin" / "prism"

# Prism 5.14.2's proxy re-encodes multipart parts as UTF-8 text before forwarding them, which
# corrupts any byte >= 0x80 (every PNG and JPEG starts with one). This 1x1 GIF is pure ASCII, so
# the upload arrives intact; binary fidelity of uploads is covered by the direct e2e tests.
ASCII_GIF = (
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00"
    b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApertur]:
    with LocalApertur(data_dir=tmp_path_factory.mktemp("prism-data"), long_poll_hold=0.5) as srv:
        yield srv


@pytest.fixture(scope="module")
def prism(
    server: LocalApertur, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    if not PRISM.exists():
        if os.environ.get("CI"):
            pytest.fail("Prism is not installed: run `make node`")
        pytest.skip("Prism is not installed: run `make node`")
    port = _free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603
            [
                str(PRISM),
                "proxy",
                str(ROOT / "openapi.yaml"),
                server.url,
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "--errors",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/api/v1/stats", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Prism did not start:\n" + log.read_text()[-3000:])
                time.sleep(0.3)
        yield url, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_full_flow_conforms(server: LocalApertur, prism: tuple[str, Path], tmp_path: Path) -> None:
    url, log = prism
    with Apertur(api_key=server.api_key, base_url=url, max_retries=0) as client:
        project = server.project_id
        dest = client.destinations.create(
            project, type="s3", name="Archive", config={"bucket": "b", "region": "r"}
        )
        client.destinations.update(project, dest.id, name="Archive 2")
        client.destinations.list(project)
        client.destinations.test(project, dest.id)
        session = client.sessions.create(
            long_polling=True,
            max_images=5,
            tags=["prism"],
            password="pw",
            destination_ids=[dest.id],
        )
        client.sessions.get(session.id)
        client.sessions.update(session.id, max_images=6)
        assert client.sessions.verify_password(session.id, "pw").valid
        client.sessions.list(page=1, page_size=10)
        client.sessions.recent(limit=5)
        client.sessions.qr(session.id, format="svg")
        client.sessions.share(session.id, channel="email", recipient="a@example.com")
        uploaded = client.upload.image(session.id, ASCII_GIF, filename="a.gif", password="pw")
        key = client.encryption.get_server_key()
        client.upload.image_encrypted(
            session.id, ASCII_GIF, key.public_key, filename="b.gif", password="pw"
        )
        status = client.sessions.delivery_status(session.id)
        client.sessions.delivery_status(session.id, poll_from=status.last_changed)
        for image in client.polling.list(session.id).images:
            client.polling.download(session.id, image.id)
            client.polling.ack(session.id, image.id)
        client.uploads.list(page=1, page_size=10)
        client.uploads.recent(limit=5)
        client.uploads.download(uploaded.id)
        created = client.keys.create(project, label="ci key")
        client.keys.update(project, created.key.id, label="ci key 2")
        client.keys.set_destinations(created.key.id, [dest.id], long_polling_enabled=True)
        client.keys.list(project)
        client.keys.delete(project, created.key.id)
        hook = client.webhooks.create(project, url="http://127.0.0.1:9/none", topics=["image.*"])
        client.webhooks.update(project, hook.id, max_retries=0)
        client.webhooks.list(project)
        client.webhooks.test(project, hook.id)
        client.webhooks.deliveries(project, hook.id, page=1, limit=10)
        client.webhooks.delete(project, hook.id)
        client.stats.get()
        with pytest.raises(NotFoundError):
            client.sessions.get("no-such-session")
        # The event streams never end, so only their error answers can go through the proxy.
        assert httpx.get(f"{url}/api/v1/upload/no-such-session/events").status_code == 404
        missing = httpx.get(
            f"{url}/api/v1/sessions/no-such-session/events",
            headers={"Authorization": f"Bearer {server.api_key}"},
        )
        assert missing.status_code == 404
        client.destinations.delete(project, dest.id)
    findings = [line for line in log.read_text().splitlines() if "violation" in line.lower()]
    assert findings == [], "\n".join(findings[:40])
