"""DNS rebinding: the server answers only requests addressed to one of its own names."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import httpx
import pytest
from localhelpers import client_for, create_session, make_png
from starlette.responses import PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from apertur_local import LocalApertur, LocalConfig, _hosts
from apertur_local.__main__ import parser
from apertur_local._hosts import HostGuard, header_host, normalise_host_name, server_names

REBOUND = "rebind.evil.example"


def _port(server: LocalApertur) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _get(server: LocalApertur, path: str, host: str, **headers: str) -> httpx.Response:
    with httpx.Client(base_url=server.url, trust_env=False, timeout=30) as http:
        return http.get(path, headers={"Host": host, **headers})


def test_a_rebound_name_reaches_nothing(apertur_local: LocalApertur) -> None:
    """What a page at http://rebind.evil.example:PORT could reach once its name points here."""
    with client_for(apertur_local) as api:
        sid = create_session(api)
    host = f"{REBOUND}:{_port(apertur_local)}"
    key = {"Authorization": f"Bearer {apertur_local.api_key}"}
    for path, headers in [
        ("/api/v1/sessions", key),
        ("/api/v1/stats", key),
        (f"/api/v1/upload/{sid}/session", {}),
        (f"/u/{sid}", {}),
        ("/assets/upload/upload.js", {}),
        ("/socket.io/?EIO=4&transport=polling", {}),
    ]:
        response = _get(apertur_local, path, host, **headers)
        assert response.status_code == 403, (path, response.text)
        body = response.json()
        assert body["code"] == "HOST_NOT_ALLOWED"
        assert f"--allowed-hosts {REBOUND}" in body["message"]
        assert "DNS rebinding" in body["message"]
    with httpx.Client(base_url=apertur_local.url, trust_env=False, timeout=30) as http:
        created = http.post("/api/v1/upload-sessions", json={}, headers={"Host": host, **key})
        assert created.status_code == 403
        uploaded = http.post(
            f"/api/v1/upload/{sid}/images",
            files={"file": ("a.png", make_png(), "image/png")},
            headers={"Host": host},
        )
        assert uploaded.status_code == 403
    counts = httpx.get(apertur_local.url + "/_local/state", trust_env=False).json()["counts"]
    assert (counts["sessions"], counts["images"]) == (1, 0)


@pytest.mark.parametrize("host", ["", "bad host:x", "a:99999"], ids=["empty", "junk", "bad-port"])
def test_a_missing_or_malformed_host_is_refused(apertur_local: LocalApertur, host: str) -> None:
    response = _get(apertur_local, "/api/v1/stats", host)
    assert response.status_code == 403
    assert response.json()["code"] == "HOST_NOT_ALLOWED"


def test_a_websocket_handshake_to_a_rebound_name_is_refused(apertur_local: LocalApertur) -> None:
    def handshake(host: str) -> bytes:
        with socket.create_connection(("127.0.0.1", _port(apertur_local)), timeout=30) as sock:
            sock.sendall(
                b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                b"Host: " + host.encode() + b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                b"Origin: http://" + host.encode() + b"\r\n\r\n"
            )
            return sock.recv(4096).split(b"\r\n", 1)[0]

    assert handshake(f"{REBOUND}:{_port(apertur_local)}").startswith(b"HTTP/1.1 403")
    assert handshake(f"127.0.0.1:{_port(apertur_local)}").startswith(b"HTTP/1.1 101")


def test_addresses_and_loopback_names_are_answered(apertur_local: LocalApertur) -> None:
    port = _port(apertur_local)
    key = {"Authorization": f"Bearer {apertur_local.api_key}"}
    for host in (
        f"127.0.0.1:{port}",
        f"[::1]:{port}",
        f"192.168.1.20:{port}",  # a phone on the network, reaching --host 0.0.0.0 by address
        "10.0.0.7",
        f"localhost:{port}",
        f"LOCALHOST.:{port}",
        f"app.localhost:{port}",
    ):
        assert _get(apertur_local, "/api/v1/stats", host, **key).status_code == 200, host


@pytest.fixture
def named() -> Iterator[LocalApertur]:
    with LocalApertur(
        allowed_hosts=("Apertur.Test", "http://box.local:8484"),
        public_url="http://photos.lan:9000",
    ) as server:
        yield server


def test_the_servers_own_names_are_answered(named: LocalApertur) -> None:
    key = {"Authorization": f"Bearer {named.api_key}"}
    for host in ("apertur.test", "APERTUR.TEST:8484", "box.local", "photos.lan:9000"):
        assert _get(named, "/api/v1/stats", host, **key).status_code == 200, host
    assert _get(named, "/api/v1/stats", REBOUND, **key).status_code == 403
    # the upload page's whole path, under the name its links carry
    with client_for(named) as api:
        created = api.post("/api/v1/upload-sessions", json={}).json()
    assert created["upload_url"].startswith("http://photos.lan:9000/u/")
    page = _get(named, f"/u/{created['id']}", "photos.lan:9000")
    assert page.status_code == 200
    assert _get(named, f"/api/v1/upload/{created['id']}/session", "photos.lan").status_code == 200
    # the control plane answers an allowed name too, but no other
    assert _get(named, "/_local/state", "box.local").status_code == 200
    assert _get(named, "/_local/state", "photos.lan").status_code == 403


def test_a_refused_upload_is_not_read() -> None:
    """The refusal closes the connection rather than reading a large body, and does not wait
    for a stalled one beyond the body timeout."""
    with LocalApertur(body_timeout=1.0) as server:
        sid = "00000000-0000-0000-0000-000000000000"
        with socket.create_connection(("127.0.0.1", _port(server)), timeout=30) as sock:
            sock.sendall(
                f"POST /api/v1/upload/{sid}/images HTTP/1.1\r\nHost: {REBOUND}\r\n"
                "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000\r\n\r\n"
                "--b".encode()
            )  # and nothing more: a stalled body
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(4096)
                assert chunk, answer
                answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 403")
    assert b"connection: close" in head


def test_host_rules() -> None:
    assert header_host("Box.Local.:8484") == "box.local"
    assert header_host("[::1]:80") == "::1"
    assert header_host("") is None
    assert header_host("a:99999") is None
    assert normalise_host_name("http://Box.Local:8484/") == "box.local"
    assert server_names("0.0.0.0", "http://192.168.1.2:8484", ["x.test"]) == {"x.test"}  # noqa: S104
    assert server_names("mybox", None, []) == {"mybox"}


def test_both_commands_take_allowed_hosts() -> None:
    args = parser().parse_args(
        ["serve", "--allowed-hosts", "a.test", "--allowed-hosts", "b.test,C.test"]
    )
    assert LocalConfig(allowed_hosts=",".join(args.allowed_hosts)).allowed_hosts == (
        "a.test",
        "b.test",
        "c.test",
    )
    import json

    import click
    from click.testing import CliRunner

    from apertur_cli._local_serve import config_options

    @click.command()
    def command(**fields: object) -> None:
        click.echo(json.dumps(LocalConfig(**fields).allowed_hosts))  # type: ignore[arg-type]

    for option in reversed(config_options(LocalConfig)):
        command = option(command)
    result = CliRunner().invoke(command, ["--allowed-hosts", "a.test", "--allowed-hosts", "b,c"])
    assert json.loads(result.stdout) == ["a.test", "b", "c"], result.output


def _through_guard(guard: HostGuard, host: bytes) -> int:
    """The status a request with ``Host: host`` gets from ``guard`` (200: it reached the app)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [(b"host", host)]}
    asyncio.run(guard(scope, receive, send))
    status: int = sent[0]["status"]
    return status


def test_allowed_host_values_are_remembered_and_refused_ones_never() -> None:
    reached: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(dict(scope["headers"])[b"host"])
        await PlainTextResponse("ok")(scope, receive, send)

    guard = HostGuard(app, frozenset({"box.local"}), body_timeout=1.0)
    checked: list[str] = []
    real = _hosts.header_host

    def counting(value: str) -> str | None:
        checked.append(value)
        return real(value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_hosts, "header_host", counting)
        for _ in range(2):
            assert _through_guard(guard, b"127.0.0.1:8080") == 200
            assert _through_guard(guard, b"Box.Local") == 200
            assert _through_guard(guard, REBOUND.encode()) == 403
        assert checked == ["127.0.0.1:8080", "Box.Local", REBOUND, REBOUND]  # parsed once each
        assert reached == [b"127.0.0.1:8080", b"Box.Local"] * 2
        for n in range(2 * _hosts._KNOWN_HOSTS):  # a client sending ever new values...
            assert _through_guard(guard, f"localhost:{n}".encode()) == 200
        assert len(guard._known) == _hosts._KNOWN_HOSTS  # ...fills a bounded memory
        assert _through_guard(guard, REBOUND.encode()) == 403
