"""Early answers close the connection, so a big body is not received after the verdict."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from localhelpers import client_for, create_session

from apertur_local import LocalApertur

MIB = 1024 * 1024


class Counting:
    """A streamed body of ``total`` bytes that records how much the server let through."""

    def __init__(self, prefix: bytes, total: int) -> None:
        self.prefix, self.total, self.consumed = prefix, total, 0

    def __iter__(self) -> Iterator[bytes]:
        yield self.prefix
        self.consumed = len(self.prefix)
        chunk = b"\x00" * (256 * 1024)
        while self.consumed < self.total:
            yield chunk
            self.consumed += len(chunk)


UPLOAD_PREFIX = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'


@pytest.mark.parametrize(
    ("options", "key", "status"),
    [
        ({"expires_at": "2020-01-01T00:00:00Z"}, "valid", 410),
        ({}, "invalid", 401),
        ({"password": "secret"}, None, 403),  # the upload page's way in: no key, no password
    ],
    ids=["expired-session", "wrong-key", "no-key-no-password"],
)
def test_rejected_upload_is_not_read(
    apertur_local: LocalApertur, options: dict[str, str], key: str | None, status: int
) -> None:
    with client_for(apertur_local) as api:
        sid = create_session(api, **options)
    body = Counting(UPLOAD_PREFIX, 256 * MIB)
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    if key is not None:
        token = apertur_local.api_key if key == "valid" else "aptr_test_wrong"
        headers["Authorization"] = f"Bearer {token}"
    with httpx.Client(timeout=60, verify=False, trust_env=False) as client:
        response = client.post(
            f"{apertur_local.url}/api/v1/upload/{sid}/images", content=iter(body), headers=headers
        )
    assert response.status_code == status
    assert response.headers["connection"] == "close"
    assert body.consumed < 32 * MIB


def test_oversized_json_is_refused_unread(api: httpx.Client) -> None:
    body = Counting(b'{"tags": ["', 256 * MIB)
    response = api.post(
        "/api/v1/upload-sessions", content=iter(body), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "larger than" in response.json()["message"]
    assert body.consumed < 32 * MIB


def test_normal_answers_keep_the_connection(api: httpx.Client) -> None:
    response = api.post("/api/v1/upload-sessions", json={})
    assert response.status_code == 201
    assert response.headers.get("connection") != "close"


def test_small_unread_body_is_drained_and_the_connection_kept(api: httpx.Client) -> None:
    sid = create_session(api, expires_at="2020-01-01T00:00:00Z")
    for _ in range(3):  # the same pooled connection answers every time
        response = api.post(
            f"/api/v1/upload/{sid}/images", files={"file": ("a.png", b"\x89PNG" + b"\x00" * 50_000)}
        )
        assert response.status_code == 410
        assert response.headers.get("connection") != "close"


def _answer_to_a_stalled_body(server: LocalApertur, path: str, headers: str = "") -> bytes:
    """Send a request head announcing 1,000 body bytes, then 3 of them and nothing more; return
    the head of the answer (the socket waits up to 30 s: far beyond the 1 s body timeout)."""
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a'.encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            assert chunk, answer
            answer += chunk
    return answer.split(b"\r\n\r\n", 1)[0].lower()


@pytest.fixture
def impatient() -> Iterator[LocalApertur]:
    with LocalApertur(body_timeout=1.0, rate_limit=1) as server:
        yield server


def test_an_early_answer_does_not_wait_for_a_stalled_body(impatient: LocalApertur) -> None:
    """A 401 given before the body was read used to wait for the rest of a small body for ever
    (the answer, and the server's shutdown, hung on it)."""
    head = _answer_to_a_stalled_body(
        impatient, "/api/v1/upload-sessions", "Authorization: Bearer aptr_test_wrong\r\n"
    )
    assert head.startswith(b"http/1.1 401")
    assert b"connection: close" in head


def test_an_injected_status_does_not_wait_for_a_stalled_body(impatient: LocalApertur) -> None:
    rule = {"path": "^/api/v1/upload-sessions$", "action": "status", "status": 503}
    httpx.post(impatient.url + "/_local/faults", json=rule, trust_env=False).raise_for_status()
    head = _answer_to_a_stalled_body(impatient, "/api/v1/upload-sessions")
    assert head.startswith(b"http/1.1 503")
    assert b"connection: close" in head


def test_a_rate_limited_request_does_not_wait_for_a_stalled_body(impatient: LocalApertur) -> None:
    with client_for(impatient) as api:
        assert api.get("/api/v1/stats").status_code == 200  # the one request of the minute
    head = _answer_to_a_stalled_body(
        impatient, "/api/v1/upload-sessions", f"Authorization: Bearer {impatient.api_key}\r\n"
    )
    assert head.startswith(b"http/1.1 429")
    assert b"connection: close" in head


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_an_injected_status_drains_a_small_body_and_keeps_the_connection(
    api: httpx.Client, chunked: bool
) -> None:
    """A small chunked upload answered by an injected 503 used to get ``Connection: close`` at
    once, its body unread: the kernel's reset could then destroy the 503 before the client read
    it (an upload reported as a lost connection, not a 503)."""
    sid = create_session(api)
    rule = {"path": "/images$", "action": "status", "status": 503, "count": 1}
    api.post("/_local/faults", json=rule).raise_for_status()
    body = [UPLOAD_PREFIX, b"\x89PNG" + b"\x00" * 50_000, b"\r\n--b--\r\n"]
    response = api.post(
        f"/api/v1/upload/{sid}/images",
        content=iter(body) if chunked else b"".join(body),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 503
    assert response.headers.get("connection") != "close"


def test_a_rate_limited_chunked_body_is_drained(impatient: LocalApertur) -> None:
    with client_for(impatient) as api:
        assert api.get("/api/v1/stats").status_code == 200  # the one request of the minute
        response = api.post(
            "/api/v1/upload-sessions",
            content=iter([b'{"tags": ', b'["a"]}']),
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 429
    assert response.headers.get("connection") != "close"
