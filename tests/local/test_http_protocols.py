"""Fault injection and early answers behave the same under uvicorn's h11 and httptools parsers.

uvicorn picks httptools (and uvloop for ``apertur-local serve``) when they are installed
(``uvicorn[standard]``). Dropping a connection relies on uvicorn failing on an impossible status
(see ``_faults``), and the body guard on ``Connection: close``: both are checked on the wire, with
a raw socket, for every protocol implementation available here.
"""

from __future__ import annotations

import importlib.util
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from apertur_local import LocalApertur

PROTOCOLS = [
    "h11",
    pytest.param(
        "httptools",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("httptools") is None, reason="httptools is not installed"
        ),
    ),
]
PROTOCOL_CLASSES = {"h11": "H11Protocol", "httptools": "HttpToolsProtocol"}


@pytest.fixture(params=PROTOCOLS)
def server(request: pytest.FixtureRequest) -> Iterator[Any]:
    impl = request.param
    with LocalApertur(http=impl) as srv:
        assert srv._server is not None
        bases = [c.__name__ for c in srv._server.config.http_protocol_class.__mro__]
        assert PROTOCOL_CLASSES[impl] in bases
        yield srv


def _raw(url: str, request: bytes) -> tuple[str, int, str]:
    """Send ``request`` on a fresh connection: (status line, body bytes, how it ended)."""
    host, port = url.split("//")[1].split(":")
    got, ending = b"", "eof"
    with socket.create_connection((host, int(port))) as sock:
        sock.settimeout(1.0)
        sock.sendall(request)
        try:
            while data := sock.recv(65536):
                got += data
        except ConnectionResetError:
            ending = "reset"
        except TimeoutError:
            ending = "open"
    head, _, body = got.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0].decode(), len(body), ending


FAULTS = {
    "status": ({"action": "status", "status": 503}, ("HTTP/1.1 503 Service Unavailable", "open")),
    "close_before": ({"action": "close_before"}, ("", "eof")),
    "close_after": ({"action": "close_after"}, ("", "eof")),
    "truncate": ({"action": "truncate", "keep_bytes": 10}, ("HTTP/1.1 200 OK", "eof")),
    "delay": ({"action": "delay", "delay": 0.01}, ("HTTP/1.1 200 OK", "open")),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_on_the_wire(server: Any, name: str) -> None:
    fault, (status, ending) = FAULTS[name]
    auth = {"Authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=auth) as http:
        uuid = http.post("/api/v1/upload-sessions", json={}).json()["uuid"]
        rule = {**fault, "path": "^/api/v1/upload/", "count": 1}
        assert http.post("/_local/faults", json=rule).status_code == 201
        request = (
            f"GET /api/v1/upload/{uuid}/session HTTP/1.1\r\nHost: localhost\r\n"
            f"Authorization: Bearer {server.api_key}\r\n\r\n"
        ).encode()
        got_status, body_bytes, got_ending = _raw(server.url, request)
        assert (got_status, got_ending) == (status, ending)
        if name == "truncate":
            assert body_bytes == 10
        if name in ("close_before", "close_after"):
            assert body_bytes == 0
        # The client-side view of the same fault: a protocol error, never a 500.
        assert http.post("/_local/faults", json=rule).status_code == 201
        try:
            outcome: object = http.get(f"/api/v1/upload/{uuid}/session").status_code
        except httpx.RemoteProtocolError:
            outcome = "dropped"
        expected = {"status": 503, "delay": 200}.get(name, "dropped")
        assert outcome == expected


def test_early_answer_to_a_big_body_closes_the_connection(server: Any) -> None:
    auth = {"Authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=auth) as http:
        uuid = http.post("/api/v1/upload-sessions", json={}).json()["uuid"]
    declared = 6 << 20
    request = (
        f"POST /api/v1/upload/{uuid}/images HTTP/1.1\r\nHost: localhost\r\n"
        f"Authorization: Bearer {server.api_key}\r\n"
        f"Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: {declared}\r\n\r\n"
    ).encode() + b"y" * (1 << 20)
    status, _, ending = _raw(server.url, request)
    assert status.startswith("HTTP/1.1 400")
    assert ending in ("eof", "reset")  # closed, not left waiting for the other 5 MiB
