"""The per-call shortcuts of the request path behave exactly like the long way round.

* URLs: ``CoreBase`` joins a generated path to the base URL itself (httpx parses it once,
  and the parsed URL is kept for the next call to the same path, a bounded number of them);
  the result must be the URL httpx's own merge gives, for odd base URLs and odd paths alike.
* Cookies: the SDK's httpx client skips cookie extraction for responses without
  ``Set-Cookie``; cookies that are set are still stored and sent back.
* Logging: attempt and call records appear when the level asks for them, and only then.
* Statuses below 400 come back on the first attempt; errors are still mapped and logged.
"""

from __future__ import annotations

import logging
import random
import string
from collections.abc import Callable
from urllib.parse import quote

import httpx
import pytest

from apertur_api.api.upload import upload_image
from apertur_api.types import ArgumentError
from apertur_ext import Apertur, APIConnectionError, AsyncApertur
from apertur_ext._core.exceptions import InvalidInputError
from apertur_ext._core.request import KEPT_URL_LENGTH, URL_CACHE_SIZE, CoreBase, _with_extras

KEY = "aptr_test_requestpath"
BASES = [
    "http://127.0.0.1:8484",
    "http://127.0.0.1:8484/",
    "https://api.example/prefix",
    "https://api.example/pre%20fix/",
    "http://[::1]:80/x/y/",
    "https://API.Example.COM:443/v",
]
SEGMENTS = ["", ".", "..", "...", "a", "%2F", "%2e%2E", "é", "a b", ":x", "%", "%zz", "~", "x:y"]


def _random_path(rng: random.Random) -> str:
    alphabet = string.printable + "é/.%?#;:@\x7f"
    parts = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.5:
            part = rng.choice(SEGMENTS)
        else:
            part = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        parts.append(quote(part, safe="") if rng.random() < 0.6 else part)
    head = rng.choice(["/api/v1/", "/", "//", "api/", "///x/"])
    return head + "/".join(parts) + rng.choice(["", "/session", "?a=1", "#f"])


def _url_or_error(build: Callable[[], httpx.Request]) -> object:
    try:
        url = build().url
    except Exception as exc:  # the same rejection both ways is fine
        return type(exc)
    return (str(url), url.raw_path, url.host, url.port)


@pytest.mark.parametrize("base", BASES)
def test_joined_urls_match_httpx_merge(base: str) -> None:
    http = httpx.Client(base_url=base)
    core = CoreBase.__new__(CoreBase)
    core._base = None
    rng = random.Random(base)
    for _ in range(1500):
        path = _random_path(rng)
        merged = _url_or_error(lambda: http.build_request("GET", path))
        joined = _url_or_error(lambda: http.build_request("GET", core._merged(http, path)))
        assert joined == merged, path


@pytest.mark.parametrize("length", [65400, 65520, 65530, 65536, 65540])
def test_joined_urls_near_the_length_limit(length: int) -> None:
    http = httpx.Client(base_url="http://127.0.0.1:8484/prefix")
    core = CoreBase.__new__(CoreBase)
    core._base = None
    path = "/" + "a" * (length - 1)
    merged = _url_or_error(lambda: http.build_request("GET", path))
    assert _url_or_error(lambda: http.build_request("GET", core._merged(http, path))) == merged


def test_a_joined_url_is_parsed_once_per_path_and_base() -> None:
    http = httpx.Client(base_url="https://api.example/v1/")
    core = CoreBase.__new__(CoreBase)
    core._base = None
    first = core._merged(http, "/api/v1/upload/s1/session")
    assert isinstance(first, httpx.URL)
    assert str(first) == "https://api.example/v1/api/v1/upload/s1/session"
    assert core._merged(http, "/api/v1/upload/s1/session") is first  # kept, not parsed again
    other = core._merged(http, "/api/v1/upload/s2/session")
    assert str(other) == "https://api.example/v1/api/v1/upload/s2/session"
    assert core._merged(http, "/api/v1/upload/s1/session") is first
    http.base_url = httpx.URL("https://other.example/")  # a new base: nothing kept applies
    moved = core._merged(http, "/api/v1/upload/s1/session")
    assert str(moved) == "https://other.example/api/v1/upload/s1/session"


def test_the_kept_urls_are_bounded() -> None:
    http = httpx.Client(base_url="https://api.example")
    core = CoreBase.__new__(CoreBase)
    core._base = None
    first = core._merged(http, "/img/0")
    for i in range(1, URL_CACHE_SIZE):
        core._merged(http, f"/img/{i}")
    assert core._base is not None
    assert len(core._base[2]) == URL_CACHE_SIZE  # full: every one kept so far
    assert core._merged(http, "/img/0") is first
    core._merged(http, f"/img/{URL_CACHE_SIZE}")  # one more: it starts over
    assert list(core._base[2]) == [f"/img/{URL_CACHE_SIZE}"]
    again = core._merged(http, "/img/0")
    assert again is not first
    assert again == first


def test_only_paths_of_a_bounded_length_are_kept() -> None:
    http = httpx.Client(base_url="https://api.example")
    core = CoreBase.__new__(CoreBase)
    core._base = None
    longest, longer = "/" + "a" * (KEPT_URL_LENGTH - 1), "/" + "b" * KEPT_URL_LENGTH
    assert core._merged(http, longest) is core._merged(http, longest)
    parsed = core._merged(http, longer)
    assert str(parsed) == "https://api.example" + longer
    assert core._merged(http, longer) is not parsed
    assert core._base is not None
    assert list(core._base[2]) == [longest]


def test_query_parameters_leave_the_kept_url_as_it_was() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _session(request)

    inner = httpx.Client(transport=httpx.MockTransport(handler))
    client = Apertur(KEY, base_url="https://api.example", http_client=inner)
    for query in ({"a": "1"}, None, {"b": "2"}):
        client.sessions.get("s1", extra_query=query)
    assert [str(r.url) for r in seen] == [
        "https://api.example/api/v1/upload/s1/session?a=1",
        "https://api.example/api/v1/upload/s1/session",
        "https://api.example/api/v1/upload/s1/session?b=2",
    ]


def _session(request: httpx.Request) -> httpx.Response:
    body = {"id": "s1", "status": "active", "expiresAt": "2030-01-01T00:00:00.000Z"}
    return httpx.Response(200, json=body)


def test_requests_go_to_the_base_url_prefix() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _session(request)

    inner = httpx.Client(transport=httpx.MockTransport(handler))
    client = Apertur(KEY, base_url="https://api.example/some/prefix/", http_client=inner)
    client.sessions.get("a/b c")
    client._http.base_url = httpx.URL("https://other.example/v2/")
    client.sessions.get("x")
    assert [str(r.url) for r in seen] == [
        "https://api.example/some/prefix/api/v1/upload/a%2Fb%20c/session",
        "https://other.example/v2/api/v1/upload/x/session",
    ]


def test_cookies_are_still_stored_and_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        response = _session(request)
        if len(seen) == 1:
            response.headers["Set-Cookie"] = "lb=node-7; Path=/"
        return response

    inner = httpx.Client(transport=httpx.MockTransport(handler))
    client = Apertur(KEY, base_url="https://api.example", http_client=inner)
    for _ in range(3):
        client.sessions.get("s1")
    assert "cookie" not in seen[0].headers
    assert [r.headers.get("cookie") for r in seen[1:]] == ["lb=node-7", "lb=node-7"]
    assert client._http.cookies.get("lb") == "node-7"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_cookies_are_still_stored_and_sent_async() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        response = _session(request)
        if len(seen) == 1:
            response.headers["Set-Cookie"] = "lb=node-8"
        return response

    inner = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = AsyncApertur(KEY, base_url="https://api.example", http_client=inner)
    for _ in range(2):
        await client.sessions.get("s1")
    assert seen[1].headers.get("cookie") == "lb=node-8"


def _records(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "apertur"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (logging.WARNING, []),
        (logging.INFO, ["GET /api/v1/upload/s1/session -> 200 attempts=1"]),
        (
            logging.DEBUG,
            [
                "sending GET /api/v1/upload/s1/session attempt=1",
                "GET /api/v1/upload/s1/session -> 200 attempts=1",
            ],
        ),
    ],
)
def test_log_records_follow_the_level(
    caplog: pytest.LogCaptureFixture, level: int, expected: list[str]
) -> None:
    inner = httpx.Client(transport=httpx.MockTransport(_session))
    client = Apertur(KEY, base_url="https://api.example", http_client=inner)
    with caplog.at_level(level, logger="apertur"):
        client.sessions.get("s1")
    got = [m.rsplit(" elapsed=", 1)[0] for m in _records(caplog)]
    assert got == expected


@pytest.mark.parametrize("status", [200, 204, 302, 399])
def test_statuses_below_400_are_sent_once(status: int) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, headers={"x-should-retry": "true"})

    inner = httpx.Client(transport=httpx.MockTransport(handler))
    client = Apertur(KEY, base_url="https://api.example", http_client=inner)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any outcome, but one attempt
        client.sessions.get("s1")
    assert len(seen) == 1
    assert seen[0].headers["x-apertur-retry-count"] == "0"


def test_transport_errors_are_mapped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    inner = httpx.Client(transport=httpx.MockTransport(handler))
    client = Apertur(KEY, base_url="https://api.example", http_client=inner, max_retries=0)
    with caplog.at_level(logging.INFO, logger="apertur"), pytest.raises(APIConnectionError) as err:
        client.sessions.get("s1")
    assert isinstance(err.value.__cause__, httpx.ConnectError)
    assert any("failed: APIConnectionError" in m for m in _records(caplog))


# --- per-call extras ----------------------------------------------------------------------------


def test_extras_add_to_what_the_call_already_sends() -> None:
    own = {"method": "get", "url": "/x", "headers": {"Last-Event-ID": "7"}, "params": {"a": "1"}}
    merged = _with_extras(own, {"Accept": "text/event-stream"}, {"b": "2"}, None)
    assert merged["headers"] == {"Last-Event-ID": "7", "Accept": "text/event-stream"}
    assert merged["params"] == {"a": "1", "b": "2"}
    assert own["headers"] == {"Last-Event-ID": "7"}  # the call's own kwargs are not changed


def test_extra_body_on_a_body_less_call_keeps_the_extra_headers() -> None:
    merged = _with_extras({"method": "get", "url": "/x"}, {"X-Feature": "on"}, None, {"f": 1})
    assert merged["json"] == {"f": 1}
    assert merged["headers"] == {"X-Feature": "on", "Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"json": ["a list"]}, "extra_body needs a request whose JSON body is an object"),
        ({"content": b"raw"}, "extra_body applies to JSON request bodies only"),
        ({"data": {"form": "field"}}, "extra_body applies to JSON request bodies only"),
        ({"files": {"file": b"x"}}, "extra_body applies to JSON request bodies only"),
    ],
)
def test_extra_body_only_extends_a_json_object(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        _with_extras({"method": "post", "url": "/x", **kwargs}, None, None, {"f": 1})
    assert str(info.value) == message


@pytest.mark.parametrize("which", ["extra_headers", "extra_query", "extra_body"])
def test_extras_that_are_not_mappings_say_which(which: str) -> None:
    extras: dict[str, object] = {"headers": None, "query": None, "body": None}
    extras[which.removeprefix("extra_")] = [("a", "b")]
    with pytest.raises(InvalidInputError) as info:
        _with_extras({}, **extras)  # type: ignore[arg-type]
    assert str(info.value) == f"{which} must be a mapping (dict)"


def test_a_closed_client_says_so() -> None:
    client = Apertur(KEY, base_url="https://api.example")
    client.close()
    with pytest.raises(InvalidInputError) as info:
        client.sessions.get("s1")
    assert str(info.value) == (
        "this client is closed: create a new one (or use it inside its with-block)"
    )


def test_a_multipart_body_of_a_generated_call_is_sent_as_given() -> None:
    """Only the streamed upload replaces the generated ``files=``; any other call keeps it."""
    core = Apertur(KEY, base_url="https://api.example")._core
    files = {"file": ("a.txt", b"hello", "text/plain")}
    call = core.call(
        upload_image.OPERATION, lambda: {"method": "post", "url": "/x", "files": files}
    )
    request = core.build(core.http, call, stream=False)
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'filename="a.txt"' in request.read()
    assert b"hello" in request.read()


def _raise(exc: Exception) -> dict[str, object]:
    raise exc


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            ArgumentError("image_id must be a non-empty string"),
            "image_id must be a non-empty string",
        ),
        (
            TypeError("unsupported operand"),
            "upload_image: the request could not be built (TypeError: unsupported operand)",
        ),
    ],
)
def test_a_request_that_cannot_be_built_is_invalid_input(error: Exception, message: str) -> None:
    """The generated builders check their arguments; anything else they raise is still typed."""
    core = Apertur(KEY, base_url="https://api.example")._core
    with pytest.raises(InvalidInputError) as info:
        core.call(upload_image.OPERATION, lambda: _raise(error))
    assert str(info.value) == message


def test_a_call_is_not_a_long_poll_unless_it_says_so() -> None:
    core = Apertur(KEY, base_url="https://api.example", timeout=httpx.Timeout(5, read=42))._core
    call = core.call(upload_image.OPERATION, lambda: {"method": "get", "url": "/x"})
    assert core.timeout_for(call).read == 42


def _headers_call(headers: dict[object, object]) -> object:
    core = Apertur(KEY, base_url="https://api.example")._core
    return core.call(
        upload_image.OPERATION, lambda: {"method": "get", "url": "/x", "headers": headers}
    )


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X Pass": "1"}, "invalid header name: 'X Pass'"),
        ({b"X\xe9": "1"}, "invalid header name: 'X\xe9'"),
        ({7: "1"}, "invalid header name: 7"),
        ({"X-Pass": 7}, "the value of header X-Pass must be a string"),
        (
            {b"X-Pass": "a\nb"},
            "the value of header X-Pass cannot be sent: HTTP headers carry "
            "printable ASCII only, with no line breaks",
        ),  # fmt: skip
        (
            {"X-Pass": b"a\rb"},
            "the value of header X-Pass cannot be sent: HTTP headers carry "
            "printable ASCII only, with no line breaks",
        ),  # fmt: skip
        (
            {"X-Pass": "é"},
            "the value of header X-Pass cannot be sent: HTTP headers carry "
            "printable ASCII only, with no line breaks",
        ),  # fmt: skip
        (
            {"X-Pass": b"\xe9"},
            "the value of header X-Pass cannot be sent: HTTP headers carry "
            "printable ASCII only, with no line breaks",
        ),  # fmt: skip
    ],
)
def test_a_generated_header_that_cannot_be_sent_is_refused_by_name(
    headers: dict[object, object], message: str
) -> None:
    """Names as str or bytes (latin-1), values as str or bytes; the value is never shown."""
    with pytest.raises(InvalidInputError) as info:
        _headers_call(headers)
    assert str(info.value) == message


def test_headers_that_can_be_sent_pass_as_they_are() -> None:
    call = _headers_call({"X-Pass": "p\tw ~!", b"X-Raw": b"ok"})
    assert call.kwargs["headers"] == {"X-Pass": "p\tw ~!", b"X-Raw": b"ok"}  # type: ignore[attr-defined]
