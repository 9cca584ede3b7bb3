"""The client against a hostile server: every read ends in bounded time and memory (loopback only).

The servers are raw sockets (``hostile_server``), so they can misbehave below HTTP libraries:

* a body dripped one byte a second: ``timeout=3`` ends in ``APITimeoutError`` within 5 s, sync
  and async, through ``client.api`` too, and for a download given a timeout; an upload given
  ``timeout=3`` that the server reads steadily but slowly ends then too, by the deadline check
  between its chunks;
* a 300 KB gzip bomb, a 200 MB body, an endless chunked body and a 200 MB ``500`` body: the
  client's peak RSS grows by less than 100 MB (``ru_maxrss`` of a subprocess that makes one
  call), ending in ``ResponseTooLargeError`` (or the ``ServerError`` with its first MiB); for
  API calls, and for an image downloaded into memory, held to the client's
  ``max_download_bytes`` or to the size the API announced for it (``max_bytes``);
* server text in errors (terminal escapes, CR/LF, half a megabyte) becomes one clean, short
  line; the raw body stays on the exception.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from hostile_server import MIB, ZEROS, HostileServer, Send, chunk, gzip_bomb, head

from apertur_api.api.sessions import get_session
from apertur_ext import (
    Apertur,
    APITimeoutError,
    AsyncApertur,
    ResponseTooLargeError,
    ServerError,
    UploadMayHaveBeenStoredError,
    ValidationError,
)

KEY = "aptr_test_hostile"
TIMEOUT = 3
WITHIN = 5  # seconds: the bound for a 3 s deadline against a 1 byte/s body
JSON = "Content-Type: application/json"
GROWTH_LIMIT = 100 * MIB
WARM_BODY = b'{"message": "no such session", "code": "NOT_FOUND"}'


def _drip(server: HostileServer) -> Callable[[str, Send], None]:
    """200, then one byte of a chunked JSON body a second, for a minute."""

    def answer(path: str, send: Send) -> None:
        send(head("200 OK", JSON, "Transfer-Encoding: chunked"))
        for _ in range(60):
            send(chunk(b" "))
            if server.stopping.wait(1):
                return

    return answer


@pytest.fixture
def dripping() -> Iterator[HostileServer]:
    server = HostileServer(lambda path, send: None)
    server.answer = _drip(server)
    with server:
        yield server


def _ends_in_time(started: float) -> None:
    elapsed = time.monotonic() - started
    assert elapsed < WITHIN, f"the call took {elapsed:.1f} s"


def test_a_dripped_body_ends_at_the_deadline_sync(dripping: HostileServer) -> None:
    with Apertur(api_key=KEY, base_url=dripping.url) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="deadline"):
            client.sessions.get("s1", timeout=TIMEOUT)
        _ends_in_time(started)


def test_a_dripped_body_ends_at_the_deadline_async(dripping: HostileServer) -> None:
    async def main() -> None:
        async with AsyncApertur(api_key=KEY, base_url=dripping.url) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match="deadline"):
                await client.sessions.get("s1", timeout=TIMEOUT)
            _ends_in_time(started)

    anyio.run(main)


def test_a_dripped_body_ends_at_the_deadline_through_client_api(dripping: HostileServer) -> None:
    with Apertur(api_key=KEY, base_url=dripping.url, timeout=TIMEOUT) as client:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout, match="deadline"):
            get_session.sync_detailed("s1", client=client.api)
        _ends_in_time(started)


def test_a_download_given_a_timeout_ends_at_it(dripping: HostileServer) -> None:
    with Apertur(api_key=KEY, base_url=dripping.url) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="deadline"):
            client.polling.download("s1", "img", timeout=TIMEOUT)
        _ends_in_time(started)


def _steady_reader(path: str, send: Send) -> None:
    """Reads the request body at about 4 MiB/s and never answers: no single write of the
    client waits long, but the whole body takes far longer than the call's timeout."""
    while send.recv(65536):
        time.sleep(1 / 64)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_upload_given_a_timeout_ends_at_it(mode: str, tmp_path: Path) -> None:
    """A server reading a 64 MiB upload steadily but slowly (about 16 s): the upload ends at its
    3 s deadline, as a failure after which the server may have stored it (not retried).

    What ends it is the deadline: the check between the body's chunks (the cause says "request
    body"), or the last write, cut to the time left. Each write completes well within the write
    timeout, so without the deadline the upload would run its 16 s. (A server that stops reading for seconds would be stopped by the write
    timeout of a single blocked write instead, which proves nothing about the deadline.)
    """
    image = tmp_path / "big.jpg"
    with image.open("wb") as file:
        file.write(b"\xff\xd8\xff\xe0")
        file.truncate(64 * MIB)  # sparse: no 64 MiB written to disk

    def upload(url: str) -> None:
        if mode == "sync":
            with Apertur(api_key=KEY, base_url=url) as client:
                client.upload.image("s1", image, timeout=TIMEOUT)
            return

        async def main() -> None:
            async with AsyncApertur(api_key=KEY, base_url=url) as client:
                await client.upload.image("s1", image, timeout=TIMEOUT)

        anyio.run(main)

    with HostileServer(_steady_reader) as server:
        started = time.monotonic()
        with pytest.raises(UploadMayHaveBeenStoredError, match="WriteTimeout") as info:
            upload(server.url)
        _ends_in_time(started)
    assert isinstance(info.value.__cause__, httpx.WriteTimeout)
    # the check between chunks ("... the request body was sent"), or a write cut to the time left
    assert "deadline passed while the request" in str(info.value.__cause__)


# --- memory: one call in a subprocess, its peak RSS growth measured ------------------------------

_CLIENT = textwrap.dedent(
    """
    import json, resource, sys
    import anyio
    from apertur_api.api.sessions import get_session
    from apertur_ext import AperturError, Apertur, AsyncApertur, NotFoundError

    url, mode = sys.argv[1], sys.argv[2]
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    # downloads: a 40 MiB client limit, or the size the API announced for the image
    options = {"max_download_bytes": 40 << 20} if mode.startswith("download") else {}
    announced = {"max_bytes": 482113} if mode.startswith("download_announced") else {}

    def report(before, error, status=None, body=None):
        if error is not None:
            status, body = error.status_code, error.body
        print(json.dumps({"growth": peak() - before, "error": type(error).__name__,
                          "status": status, "body": len(body or b"")}))

    async def run_async():
        async with AsyncApertur(api_key="aptr_test_k", base_url=url, max_retries=0,
                                **options) as client:
            try:
                await client.sessions.get("warm")
            except NotFoundError:
                pass
            before = peak()
            try:
                if mode.startswith("download"):
                    await client.polling.download("attack", "img", **announced)
                else:
                    await client.sessions.get("attack")
            except AperturError as error:
                report(before, error)

    if mode.endswith("async"):
        anyio.run(run_async)
    else:
        with Apertur(api_key="aptr_test_k", base_url=url, max_retries=0, **options) as client:
            try:
                client.sessions.get("warm")
            except NotFoundError:
                pass
            before = peak()
            try:
                if mode == "api":  # error statuses are returned, not raised
                    answer = get_session.sync_detailed("attack", client=client.api)
                    report(before, None, answer.status_code, answer.content)
                elif mode.startswith("download"):
                    client.polling.download("attack", "img", **announced)
                else:
                    client.sessions.get("attack")
            except AperturError as error:
                report(before, error)
    """
)


def _bomb_answer(bomb: bytes) -> Callable[[str, Send], None]:
    def answer(path: str, send: Send) -> None:
        send(head("200 OK", JSON, "Content-Encoding: gzip", f"Content-Length: {len(bomb)}"))
        send(bomb)

    return answer


def _sized(status: str, size: int) -> Callable[[str, Send], None]:
    def answer(path: str, send: Send) -> None:
        send(head(status, JSON, f"Content-Length: {size}"))
        for _ in range(size // len(ZEROS)):
            send(ZEROS)

    return answer


def _endless(path: str, send: Send) -> None:
    send(head("200 OK", JSON, "Transfer-Encoding: chunked"))
    while True:
        send(chunk(ZEROS))


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = gzip_bomb(300 * MIB)
    assert len(data) < 400_000  # 300 KB that inflate to 300 MiB
    return data


def _with_warm_up(answer: Callable[[str, Send], None]) -> Callable[[str, Send], None]:
    def serve(path: str, send: Send) -> None:
        if "/warm/" in path:
            send(head("404 Not Found", JSON, f"Content-Length: {len(WARM_BODY)}") + WARM_BODY)
        else:
            answer(path, send)

    return serve


@pytest.mark.parametrize(
    "mode", ["sync", "async", "api", "download", "download_async", "download_announced"]
)
@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        ("gzip_bomb", ("ResponseTooLargeError", 200)),
        ("body_200_mb", ("ResponseTooLargeError", 200)),
        ("endless_chunked", ("ResponseTooLargeError", 200)),
        ("error_500_of_200_mb", ("ServerError", 500)),
    ],
)
def test_a_hostile_body_leaves_peak_rss_growth_under_100_mb(
    attack: str, expected: tuple[str, int], mode: str, request: pytest.FixtureRequest
) -> None:
    answer = {
        "gzip_bomb": lambda: _bomb_answer(request.getfixturevalue("bomb")),
        "body_200_mb": lambda: _sized("200 OK", 200 * MIB),
        "endless_chunked": lambda: _endless,
        "error_500_of_200_mb": lambda: _sized("500 Internal Server Error", 200 * MIB),
    }[attack]()
    with HostileServer(_with_warm_up(answer)) as server:
        result = subprocess.run(
            [sys.executable, "-c", _CLIENT, server.url, mode],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout)
    if mode == "api" and expected[0] == "ServerError":
        expected = ("NoneType", 500)  # client.api returns error statuses
    assert (outcome["error"], outcome["status"]) == expected
    assert outcome["growth"] < GROWTH_LIMIT, f"peak RSS grew by {outcome['growth'] / MIB:.0f} MiB"
    if attack == "error_500_of_200_mb":  # its first MiB kept (max_bytes bounds the image only)
        assert outcome["body"] == MIB


def test_a_small_limit_is_the_callers_choice(tmp_path: Path) -> None:
    body = b'{"id": "s1"' + b" " * 2000 + b"}"

    def answer(path: str, send: Send) -> None:
        send(head("200 OK", JSON, f"Content-Length: {len(body)}") + body)

    with (
        HostileServer(answer) as server,
        Apertur(api_key=KEY, base_url=server.url, max_response_bytes=1000) as client,
    ):
        with pytest.raises(ResponseTooLargeError, match="1000 bytes") as info:
            client.sessions.get("s1")
    assert info.value.status_code == 200


# --- server text in errors --------------------------------------------------------------------


def test_server_text_in_an_error_is_one_clean_short_line() -> None:
    message = "\x1b[31mFAILED\x1b[0m\r\nInjected: line\x07\x1b]0;title\x07 " + "A" * 500_000
    raw = json.dumps({"message": message, "code": "BAD\x1b[2J\nCODE"}).encode()

    def answer(path: str, send: Send) -> None:
        send(head("400 Bad Request", JSON, f"Content-Length: {len(raw)}") + raw)

    with HostileServer(answer) as server, Apertur(api_key=KEY, base_url=server.url) as client:
        with pytest.raises(ValidationError) as info:
            client.sessions.get("s1")
    error = info.value
    text = str(error)
    assert text.startswith("FAILED Injected: line AAAA")
    assert text.isprintable()
    assert len(text) <= 1000
    assert text.endswith("more characters)")
    assert error.code == "BAD CODE"
    assert error.body == raw  # the raw body, for debugging


def test_a_500_body_of_megabytes_keeps_its_first_mib() -> None:
    def answer(path: str, send: Send) -> None:
        send(
            head("500 Internal Server Error", "Content-Type: text/html", "Content-Length: 8388608")
        )
        for _ in range(8 * MIB // len(ZEROS)):
            send(ZEROS)

    with (
        HostileServer(answer) as server,
        Apertur(api_key=KEY, base_url=server.url, max_retries=0) as client,
    ):
        with pytest.raises(ServerError) as info:
            client.sessions.get("s1")
    assert info.value.body is not None
    assert len(info.value.body) == MIB
    assert str(info.value) == "HTTP 500"
