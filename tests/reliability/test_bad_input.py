"""Bad input, tried: every row of the table in RELIABILITY.md is a test here.

Each case must end in a clear :class:`AperturError` subclass (or be handled as documented) and
send nothing it should not. What the client sent is observed through ``http_client=``: an
``httpx.Client`` whose request hook records every attempt (its transport is the real network to
the local server, or an ``httpx.MockTransport`` for responses the server cannot produce).
"""

from __future__ import annotations

import io
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from reliability_helpers import make_png, sample_arguments, sdk_operations

from apertur_ext import (
    Apertur,
    APIConnectionError,
    APITimeoutError,
    AsyncApertur,
    EncryptionKeyError,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    PayloadTooLargeError,
    ServerError,
    UploadMayHaveBeenStoredError,
    ValidationError,
)
from apertur_local import LocalApertur

PNG = make_png(7)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApertur]:
    with LocalApertur(data_dir=tmp_path_factory.mktemp("bad-input") / "data") as srv:
        yield srv


class Recorder:
    """Requests the SDK sent (one per attempt), seen by the caller's httpx client."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def paths(self) -> list[str]:
        return [r.url.raw_path.decode("ascii") for r in self.requests]

    def uploads(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/images") and r.method == "POST"]


@pytest.fixture
def control(server: LocalApertur) -> Iterator[httpx.Client]:
    server.reset()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture
def make_client(
    server: LocalApertur, control: httpx.Client
) -> Iterator[Callable[..., tuple[Apertur, Recorder]]]:
    """``make_client(transport=None, **options)`` → (SDK client, recorder)."""
    opened: list[Any] = []

    def make(
        transport: httpx.BaseTransport | None = None, **options: Any
    ) -> tuple[Apertur, Recorder]:
        recorder = Recorder()
        http = httpx.Client(transport=transport, event_hooks={"request": [recorder]})
        options.setdefault("base_url", server.url)
        client = Apertur(api_key=server.api_key, http_client=http, **options)
        opened.extend([client, http])
        return client, recorder

    yield make
    for item in opened:
        item.close()


@pytest.fixture
def session(server: LocalApertur, control: httpx.Client) -> str:
    response = control.post(
        "/api/v1/upload-sessions",
        json={"long_polling": True},
        headers={"Authorization": f"Bearer {server.api_key}"},
    )
    assert response.status_code == 201
    return str(response.json()["id"])


def stored(control: httpx.Client) -> int:
    return int(control.get("/_local/state").json()["counts"]["images"])


def fault(control: httpx.Client, **rule: Any) -> None:
    control.post("/_local/faults", json=rule).raise_for_status()


# --- local files and bodies: refused before anything is sent --------------------------------


def test_missing_file(make_client: Any, session: str, tmp_path: Path, control: Any) -> None:
    client, rec = make_client()
    with pytest.raises(InvalidInputError, match="file not found"):
        client.upload.image(session, tmp_path / "nope.png")
    assert rec.requests == []
    assert stored(control) == 0


def test_directory(make_client: Any, session: str, tmp_path: Path, control: Any) -> None:
    client, rec = make_client()
    with pytest.raises(InvalidInputError, match="directory"):
        client.upload.image(session, tmp_path)
    assert rec.requests == []


@pytest.mark.parametrize("kind", ["path", "bytes", "file_object", "file_at_eof", "iterator"])
def test_empty_file(
    kind: str, make_client: Any, session: str, tmp_path: Path, control: Any
) -> None:
    client, rec = make_client()
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    at_eof = io.BytesIO(PNG)
    at_eof.seek(0, io.SEEK_END)
    body = {
        "path": empty,
        "bytes": b"",
        "file_object": io.BytesIO(),
        "file_at_eof": at_eof,
        "iterator": iter([b"", b""]),
    }[kind]
    with pytest.raises(InvalidInputError, match="empty"):
        client.upload.image(session, body, filename="x.png")
    assert rec.uploads() == []  # refused before sending (a one-shot stream is peeked first)
    assert stored(control) == 0


def test_text_mode_file_and_unsupported_types(
    make_client: Any, session: str, tmp_path: Path
) -> None:
    client, rec = make_client()
    text = tmp_path / "t.txt"
    text.write_text("not binary")
    with text.open("r") as handle, pytest.raises(InvalidInputError, match="binary"):
        client.upload.image(session, handle)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        client.upload.image(session, 12345)  # type: ignore[arg-type]
    assert rec.requests == []


# --- content the server refuses -------------------------------------------------------------


def test_content_that_is_not_an_image(make_client: Any, session: str, control: Any) -> None:
    client, rec = make_client()
    with pytest.raises(ValidationError) as info:
        client.upload.image(session, b"just some text, not pixels", filename="x.jpg")
    assert info.value.status_code == 400
    assert "image" in info.value.message
    assert len(rec.uploads()) == 1  # a 400 is final: not retried
    assert stored(control) == 0


def test_unknown_mime_type(make_client: Any, session: str, control: Any) -> None:
    client, rec = make_client()
    # Documented: the part's Content-Type is the caller's; the server judges the content.
    with pytest.raises(ValidationError):
        client.upload.image(session, b"\x00\x01binary", mime_type="application/x-unknown")
    assert rec.uploads()[0].headers["content-type"].startswith("multipart/form-data")
    result = client.upload.image(session, PNG, mime_type="application/x-unknown")
    assert result.id
    assert stored(control) == 1
    listed = client.polling.list(session).images
    assert [str(i.mime_type) for i in listed] == ["image/png"]
    # Neither magic bytes nor a known extension: sent as image/jpeg (the official default).
    with pytest.raises(ValidationError):
        client.upload.image(session, b"????????", filename="blob.unknownext")
    assert b"Content-Type: image/jpeg" in _body(rec.uploads()[-1])


def _body(request: httpx.Request) -> bytes:
    stream: Any = request.stream
    return b"".join(stream)


def test_file_above_the_session_limit(make_client: Any, session: str, control: Any) -> None:
    client, rec = make_client()
    client.sessions.update(session, max_image_size_mb=1)
    big = PNG + b"\x00" * (1024 * 1024 + 1)
    with pytest.raises(PayloadTooLargeError) as info:
        client.upload.image(session, big, filename="big.png")
    assert info.value.status_code == 413
    assert len(rec.uploads()) == 1  # 413 is final
    assert stored(control) == 0


# --- encryption keys: refused before anything is sent --------------------------------------


def _pem(key: Any) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize(
    ("label", "pem", "match"),
    [
        (
            "not a key",
            b"-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n",
            "not a PEM",
        ),
        ("certificate text", "hello, I am not a PEM", "not a PEM"),
        ("EC key", _pem(ec.generate_private_key(ec.SECP256R1())), "not an RSA key"),
        (
            "RSA 1024",
            _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
            "1024 bits",
        ),
    ],
)
def test_unusable_encryption_keys_never_leave_the_machine(
    label: str, pem: Any, match: str, make_client: Any, session: str, control: Any
) -> None:
    client, rec = make_client()
    with pytest.raises(EncryptionKeyError, match=match):
        client.upload.image_encrypted(session, PNG, pem, filename="x.png")
    assert rec.requests == []
    assert stored(control) == 0


# --- path parameters: always one encoded segment -------------------------------------------

# Every operation with path parameters, once per parameter, called through its client method with
# the spec's examples for the required fields (from openapi.yaml and the generated index).
FILES = {"uploadImage": {"file": PNG}}  # what the spec cannot give an example of: a file to send
CALLS: list[tuple[str, str, Callable[[Apertur, str], object]]] = [
    (
        op.operation_id,
        param,
        lambda c, v, op=op, param=param: op.bound(c)(
            **sample_arguments(op, {param: v}), **FILES.get(op.operation_id, {})
        ),
    )
    for op in sdk_operations()
    for param in op.path_params
]
TEMPLATES = {op.operation_id: op.path for op in sdk_operations()}


@pytest.mark.parametrize(
    "value",
    [
        "a/b",
        "%2F",
        "a%2Fb",
        "../../stats",
        "a/../../b",
        "?x=1#frag",
        "sp ace",
    ],
)
def test_path_parameters_are_one_encoded_segment(value: str, make_client: Any) -> None:
    def not_found(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "Not found", "code": "NOT_FOUND"})

    client, rec = make_client(httpx.MockTransport(not_found), base_url="https://api.test/gw")
    for operation, param, call in CALLS:
        rec.requests.clear()
        with pytest.raises(NotFoundError):
            call(client, value)
        template = TEMPLATES[operation]
        sent = rec.paths()
        assert len(sent) == 1, (operation, sent)
        segments = sent[0].removeprefix("/gw").split("/")
        expected = template.split("/")
        assert len(segments) == len(expected), (operation, sent[0])
        index = expected.index("{" + param + "}")
        assert unquote(segments[index]) == value, (operation, sent[0])
        assert "?" not in sent[0]  # nothing leaked into a query string


@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segment_ids_are_refused_before_sending(value: str, make_client: Any) -> None:
    # Percent-encoding keeps dots and URLs resolve dot segments: such an id would reach
    # another endpoint (sessions.get("..") would GET /api/v1/session), so it never leaves.
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"sent {request.method} {request.url}")

    client, rec = make_client(httpx.MockTransport(refuse), base_url="https://api.test/gw")
    for operation, _param, call in CALLS:
        with pytest.raises(InvalidInputError, match="cannot be"):
            call(client, value)
        assert rec.paths() == [], operation


def test_path_parameter_goes_out_encoded_to_the_server(make_client: Any) -> None:
    client, rec = make_client()
    for value in ("a/b", "%2F", "../../stats"):
        with pytest.raises(NotFoundError):
            client.sessions.get(value)
    assert rec.paths() == [
        "/api/v1/upload/a%2Fb/session",
        "/api/v1/upload/%252F/session",
        "/api/v1/upload/..%2F..%2Fstats/session",
    ]


def test_path_parameter_reaches_the_right_endpoint_on_the_server(make_client: Any) -> None:
    client, _ = make_client()
    for value in ("a/b", "../../stats"):
        with pytest.raises(NotFoundError) as info:
            client.sessions.get(value)
        # The session endpoint answered (it knows no such session), not the router.
        assert info.value.message == "Session not found", info.value.message


# --- base URL with a path prefix (a gateway mount point) -----------------------------------


def test_base_url_with_a_trailing_path_keeps_the_prefix(
    make_client: Any, server: LocalApertur, control: Any
) -> None:
    prefix = "/gateway/apertur"
    upstream = httpx.Client(base_url=server.url, timeout=30)

    def gateway(request: httpx.Request) -> httpx.Response:
        """A reverse proxy mounted at ``prefix``: anything else is a 404 from the gateway."""
        path = request.url.raw_path.decode()
        if not path.startswith(prefix + "/"):
            return httpx.Response(404, text="gateway: no such mount")
        forwarded = upstream.build_request(
            request.method,
            path.removeprefix(prefix),
            headers=[(k, v) for k, v in request.headers.multi_items() if k.lower() != "host"],
            content=request.read(),
        )
        response = upstream.send(forwarded)
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )

    try:
        client, rec = make_client(httpx.MockTransport(gateway), base_url=f"http://gw.test{prefix}/")
        assert client.base_url == f"http://gw.test{prefix}"
        uuid = client.sessions.create(long_polling=True).id
        client.upload.image(uuid, PNG, filename="p.png")
        assert [i.filename for i in client.polling.list(uuid).images] == ["p.png"]
        assert all(p.startswith(prefix + "/api/v1/") for p in rec.paths())
        assert stored(control) == 1
    finally:
        upstream.close()


# --- responses the server cannot produce: a mock transport ---------------------------------


def _mock(status: int, body: bytes, content_type: str, counter: list[int]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        counter.append(1)
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("status", "error"), [(400, ValidationError), (404, NotFoundError), (500, ServerError)]
)
def test_non_json_error_body(status: int, error: type[Exception], make_client: Any) -> None:
    attempts: list[int] = []
    client, _ = make_client(_mock(status, b"oops, plain text", "text/plain", attempts))
    with pytest.raises(error) as info:
        client.sessions.get("s", max_retries=0)
    exc: Any = info.value
    assert exc.status_code == status
    assert exc.message == f"HTTP {status}"
    assert exc.code is None
    assert exc.body == b"oops, plain text"


HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    b"</h1></center><hr><center>nginx</center></body></html>" + b"<!-- padding -->" * 200
)


def test_html_502_from_a_proxy(make_client: Any) -> None:
    attempts: list[int] = []
    client, _ = make_client(_mock(502, HTML_502, "text/html", attempts), max_retries=1)
    with pytest.raises(ServerError) as info:
        client.sessions.get("s")
    assert info.value.status_code == 502
    assert info.value.message == "HTTP 502"  # not a page of HTML
    assert len(attempts) == 2  # 502 is transient: retried once (max_retries=1)
    attempts.clear()
    with pytest.raises(ServerError):
        client.upload.image("s", PNG)
    assert len(attempts) == 1  # an upload answered 502 may have been stored: not re-sent


def test_truncated_response(
    make_client: Any, session: str, server: LocalApertur, control: Any
) -> None:
    client, rec = make_client(max_retries=0)
    fault(control, action="truncate", path="/session$", count=1)
    with pytest.raises(APIConnectionError):
        client.sessions.get(session)
    # A truncated answer to an upload: the server stored it, and the error says it may have.
    fault(control, action="truncate", path="/images$", method="POST", count=1)
    with pytest.raises(UploadMayHaveBeenStoredError):
        client.upload.image(session, PNG, filename="t.png")
    assert stored(control) == 1
    assert len(rec.uploads()) == 1  # not re-sent
    # A complete 2xx whose JSON is cut short (wrong Content-Length upstream, say).
    attempts: list[int] = []
    cut, _ = make_client(_mock(200, b'{"id": "x", "uuid": "x", "sta', "application/json", attempts))
    with pytest.raises(InvalidResponseError):
        cut.sessions.get("x")


def test_enum_value_the_spec_does_not_know(
    make_client: Any, session: str, server: LocalApertur
) -> None:
    upstream = httpx.Client(base_url=server.url, timeout=30)

    def rewrite(request: httpx.Request) -> httpx.Response:
        forwarded = upstream.build_request(
            request.method, request.url.raw_path.decode(), headers=request.headers
        )
        data = upstream.send(forwarded).json()
        data["status"] = "quarantined"  # a value added to the API after this SDK
        return httpx.Response(200, json=data)

    try:
        client, _ = make_client(httpx.MockTransport(rewrite))
        got = client.sessions.get(session)
        assert got.status.value == "quarantined"
        assert str(got.status) == "quarantined"
    finally:
        upstream.close()


def test_read_timeout(make_client: Any, session: str, control: Any) -> None:
    client, rec = make_client(timeout=httpx.Timeout(0.3, connect=5), max_retries=0)
    fault(control, action="delay", delay=1.0, path="/session$", count=1)
    with pytest.raises(APITimeoutError):
        client.sessions.get(session)
    fault(control, action="delay", delay=1.0, path="/images$", method="POST", count=1)
    with pytest.raises(UploadMayHaveBeenStoredError) as info:
        client.upload.image(session, PNG, filename="slow.png")
    assert "may have stored" in str(info.value)
    assert len(rec.uploads()) == 1  # ambiguous: never re-sent on its own


def test_timeout_none_is_never_infinite_and_bad_values_are_refused(server: LocalApertur) -> None:
    client = Apertur(api_key=server.api_key, base_url=server.url, timeout=None)
    try:
        timeout = client._config.timeout
        assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)
    finally:
        client.close()
    for bad in (0, -1, float("nan"), httpx.Timeout(None)):
        with pytest.raises(InvalidInputError):
            Apertur(api_key=server.api_key, base_url=server.url, timeout=bad)


def test_every_operation_has_a_method_on_both_clients() -> None:
    for op in sdk_operations():
        for client_cls in (Apertur, AsyncApertur):
            client = client_cls(api_key="aptr_live_x")
            assert callable(op.bound(client)), (client_cls.__name__, op.operation_id)
    assert len(CALLS) >= 30


# --- arguments of the wrong type or range: refused before anything is sent -------------------

KEY_PEM = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_a_closed_file_object_or_a_path_with_nul(
    make_client: Any, session: str, tmp_path: Path, control: Any
) -> None:
    client, rec = make_client()
    on_disk = tmp_path / "a.png"
    on_disk.write_bytes(PNG)
    closed = on_disk.open("rb")
    closed.close()
    memory = io.BytesIO(PNG)
    memory.close()
    for value in (closed, memory):
        with pytest.raises(InvalidInputError, match="closed"):
            client.upload.image(session, value)
        with pytest.raises(InvalidInputError, match="closed"):
            client.upload.image_encrypted(session, value, KEY_PEM)
    with pytest.raises(InvalidInputError, match="invalid file path"):
        client.upload.image(session, str(tmp_path / "a\x00b.png"))
    assert rec.uploads() == []
    assert stored(control) == 0


def test_a_file_object_closed_while_it_is_read(make_client: Any, session: str) -> None:
    client, rec = make_client(max_retries=0)

    class ClosesAfterTheFirstRead(io.RawIOBase):
        reads = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            self.reads += 1
            if self.reads > 1:
                self.close()
                raise ValueError("I/O operation on closed file")
            buffer[:4] = PNG[:4]
            return 4

    with pytest.raises(InvalidInputError, match="cannot read"):
        client.upload.image(session, ClosesAfterTheFirstRead(), mime_type="image/png")


@pytest.mark.parametrize("mime_type", [5, b"image/png", ["image/png"]])
def test_a_mime_type_that_is_not_a_string(
    mime_type: Any, make_client: Any, session: str, control: Any
) -> None:
    client, rec = make_client()
    with pytest.raises(InvalidInputError, match="mime_type must be a string"):
        client.upload.image(session, PNG, mime_type=mime_type)
    outcome = client.upload.images(session, [PNG], mime_type=mime_type)[0]
    assert isinstance(outcome.error, InvalidInputError)
    assert rec.uploads() == []


def test_the_server_key_model_is_a_public_key_and_other_objects_are_refused(
    make_client: Any, session: str, control: Any
) -> None:
    client, rec = make_client()
    server_key = client.encryption.get_server_key()
    result = client.upload.image_encrypted(session, PNG, server_key, filename="k.png")
    assert result.id
    assert stored(control) == 1
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for bad in (object(), 7, private, {"publicKey": server_key.public_key}):
        with pytest.raises(EncryptionKeyError, match="must be a PEM"):
            client.upload.image_encrypted(session, PNG, bad)
    assert len(rec.uploads()) == 1


def test_timeouts_the_socket_layer_cannot_take(server: LocalApertur, make_client: Any) -> None:
    """Python's sockets overflow near 9.2e9 s: such a timeout is refused, never an
    ``OverflowError`` from inside httpcore."""
    for bad in (1e10, 1e308, httpx.Timeout(5, read=1e10)):
        with pytest.raises(InvalidInputError, match="at most"):
            Apertur(api_key=server.api_key, base_url=server.url, timeout=bad)
    client, rec = make_client()
    with pytest.raises(InvalidInputError, match="at most"):
        client.sessions.list(timeout=1e10)
    assert rec.requests == []
    assert client.sessions.list(timeout=1e9) is not None  # the longest accepted


@pytest.mark.parametrize(
    ("call", "header"),
    [
        (lambda c, s: c.upload.image(s, PNG, password="Hunter2\nSecretTail"), "x-session-password"),
        (lambda c, s: c.upload.image(s, PNG, password="Grüße-Geheim"), "x-session-password"),
        (
            lambda c, s: c.upload.image_encrypted(s, PNG, KEY_PEM, password="pä\rss"),
            "x-session-password",
        ),
        (lambda c, s: c.sessions.get(s, extra_headers={"X-Pass": "SecretTail\n"}), "X-Pass"),
        (lambda c, s: c.sessions.get(s, extra_headers={"X-Pass": 7}), "X-Pass"),
        (lambda c, s: c.sessions.get(s, extra_headers={"X Pass": "1"}), "header name"),
    ],
)
def test_a_header_that_cannot_be_sent_is_refused_without_its_value(
    call: Callable[[Apertur, str], object], header: str, make_client: Any, session: str
) -> None:
    """Not "may have been stored" (nothing left), and never the value: it may be a password."""
    client, rec = make_client()
    with pytest.raises(InvalidInputError) as info:
        call(client, session)
    assert header in str(info.value)
    evidence = "".join(traceback.format_exception_only(info.value)) + repr(info.value)
    for secret in ("SecretTail", "Grüße", "ü", "ä", "Geheim"):
        assert secret not in evidence
    assert info.value.__cause__ is None  # no chained cause
    assert info.value.__context__ is None
    assert rec.requests == []


def test_polling_options_of_the_wrong_type(make_client: Any, session: str) -> None:
    client, rec = make_client()
    for bad in (
        {"interval": "3"},
        {"timeout": "x"},
        {"interval": float("nan")},
        {"max_images": "5"},
        {"max_images": 2.5},
        {"concurrency": "2"},
        {"concurrency": True},
        {"prefetch": 1.5},
    ):
        with pytest.raises(InvalidInputError):
            client.polling.poll_and_process(session, lambda image, data: None, **bad)
    for batch in ({"concurrency": "2"}, {"concurrency": 2.0}):
        with pytest.raises(InvalidInputError, match="concurrency"):
            client.upload.images(session, [PNG], **batch)
    with pytest.raises(InvalidInputError, match="condition must be callable"):
        client.sessions.wait_for_delivery(session, None)
    with pytest.raises(InvalidInputError, match="numbers of seconds"):
        client.sessions.wait_for_delivery(session, timeout="60")
    assert rec.requests == []


@pytest.mark.anyio
async def test_async_polling_options_of_the_wrong_type(server: LocalApertur) -> None:
    async with AsyncApertur(api_key=server.api_key, base_url=server.url) as client:
        with pytest.raises(InvalidInputError):
            await client.polling.poll_and_process("s", lambda image, data: None, max_images="5")
        with pytest.raises(InvalidInputError, match="condition must be callable"):
            await client.sessions.wait_for_delivery("s", None)


def test_event_subscription_options(make_client: Any, session: str) -> None:
    client, rec = make_client()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"callbacks": print}, "callbacks must map"),
        ({"callbacks": {"image:ready": "not a function"}}, "on\\(name, callback\\)"),
        ({"read_timout": 5}, "unknown option read_timout; the options are: connect_timeout"),
        ({"read_timeout": 1e10}, "at most"),
        ({"read_timeout": "45"}, "numbers of"),
        ({"max_buffer": 2.5}, "max_buffer must be an integer"),
    ]
    for options, message in cases:
        with pytest.raises(InvalidInputError, match=message):
            client.events.subscribe(session, connect=False, **options)
    assert rec.requests == []


@pytest.mark.parametrize(
    ("client_cls", "given"),
    [(Apertur, object()), (Apertur, httpx.AsyncClient()), (AsyncApertur, httpx.Client())],
)
def test_an_http_client_of_the_wrong_kind(client_cls: Any, given: Any) -> None:
    with pytest.raises(InvalidInputError, match="http_client must be an httpx"):
        client_cls(api_key="aptr_test_x", http_client=given)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://user:S3CRETpw@example.com",
        "http://user:S3CRETpw@",
        "http://user:S3CRETpw@[::1",
        "https://user:S3CRETpw@api.example.com/prefix",
    ],
)
def test_a_base_url_with_credentials_never_shows_them(url: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        Apertur(api_key="aptr_test_x", base_url=url)
    evidence = "".join(traceback.format_exception_only(info.value)) + repr(info.value)
    assert "S3CRETpw" not in evidence
    assert info.value.__cause__ is None
    assert info.value.__context__ is None or info.value.__suppress_context__
    assert "***@" in str(info.value)
