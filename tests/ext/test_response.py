"""The response mapper: every status class, odd bodies, documented-code re-parsing."""

from __future__ import annotations

import gzip
import json

import anyio
import httpx
import pytest

from apertur_api import Client
from apertur_api.api.destinations import delete_destination
from apertur_api.api.sessions import create_session, get_session, list_recent_sessions
from apertur_api.models import CreateSessionResult, Session, SessionStatus
from apertur_ext import (
    Apertur,
    APIStatusError,
    AsyncApertur,
    AuthenticationError,
    ConflictError,
    GoneError,
    InvalidResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from apertur_ext._core.response import check_status, parse_response

API = Client(base_url="https://api.example")
GET = get_session.OPERATION
CREATE = create_session.OPERATION
RECENT = list_recent_sessions.OPERATION
DELETE = delete_destination.OPERATION

SESSION = {"id": "s1", "status": "active", "expiresAt": "2026-06-12T09:44:41.919Z"}
CREATED = {"id": "s1", "uuid": "s1", "upload_url": "https://apertur.ca/u/s1"}
REQUEST = httpx.Request("GET", "https://api.example/api/v1/upload/s1/session")


def _response(status: int, body: object = None, **kwargs: object) -> httpx.Response:
    if body is not None and "content" not in kwargs:
        kwargs["json"] = body
    return httpx.Response(status, request=REQUEST, **kwargs)  # type: ignore[arg-type]


def test_documented_success_is_parsed() -> None:
    session = parse_response(GET, _response(200, SESSION), API)
    assert isinstance(session, Session)
    assert session.status == SessionStatus.ACTIVE


def test_list_result() -> None:
    rows = parse_response(RECENT, _response(200, [{"id": "a"}, {"id": "b"}]), API)
    assert [row.id for row in rows] == ["a", "b"]


@pytest.mark.parametrize("status", [200, 202])
def test_other_2xx_is_parsed_as_the_documented_one(status: int) -> None:
    created = parse_response(CREATE, _response(status, CREATED), API)
    assert isinstance(created, CreateSessionResult)
    assert created.upload_url.endswith("/u/s1")


def test_reparse_keeps_decoded_body_of_a_compressed_response() -> None:
    raw = gzip.compress(json.dumps(CREATED).encode())
    response = _response(200, content=raw, headers={"content-encoding": "gzip"})
    assert parse_response(CREATE, response, API).id == "s1"


@pytest.mark.parametrize("status", [200, 204])
def test_delete_returns_none(status: int) -> None:
    body = {"ok": True} if status == 200 else None
    assert parse_response(DELETE, _response(status, body), API) is None


def test_unknown_enum_value_parses() -> None:
    session = parse_response(GET, _response(200, {**SESSION, "status": "archived"}), API)
    assert session.status.value == "archived"
    assert session.status.name == "UNKNOWN"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"id": "s1", "status": "act',  # truncated
        b"",
        b'["not", "an", "object"]',
        b'{"status": "active"}',  # required id missing
        b'{"id": "s1", "status": "active", "expiresAt": "not a date"}',
        b"\xff\xfe\x00garbage",
    ],
    ids=["html", "truncated", "empty", "array", "missing-field", "bad-date", "binary"],
)
def test_unparseable_success_body(content: bytes) -> None:
    with pytest.raises(InvalidResponseError) as info:
        parse_response(GET, _response(200, content=content), API)
    assert info.value.status_code == 200
    assert info.value.body == content
    assert "get_session" in info.value.message


def test_204_for_an_operation_with_a_body() -> None:
    with pytest.raises(InvalidResponseError):
        parse_response(GET, _response(204), API)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, GoneError),
        (413, PayloadTooLargeError),
        (418, APIStatusError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (599, ServerError),
    ],
)
def test_error_statuses(status: int, cls: type[Exception]) -> None:
    response = _response(status, {"message": "nope", "code": "SOME_CODE"})
    with pytest.raises(cls) as info:
        parse_response(GET, response, API)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status  # type: ignore[attr-defined]
    assert err.code == "SOME_CODE"  # type: ignore[attr-defined]
    assert err.message == "nope"  # type: ignore[attr-defined]


def test_html_502_from_a_proxy() -> None:
    response = _response(
        502, content=b"<html>bad gateway</html>", headers={"content-type": "text/html"}
    )
    with pytest.raises(ServerError) as info:
        parse_response(GET, response, API)
    assert info.value.message == "HTTP 502"
    assert info.value.body == b"<html>bad gateway</html>"


@pytest.mark.parametrize("content", [b"", b"{trunc", b"null", b'{"message": 5}'])
def test_error_with_odd_bodies(content: bytes) -> None:
    with pytest.raises(NotFoundError) as info:
        parse_response(GET, _response(404, content=content), API)
    assert info.value.message == "HTTP 404"


def test_rate_limit_retry_after() -> None:
    response = _response(429, {"message": "slow down"}, headers={"Retry-After": "7"})
    with pytest.raises(RateLimitError) as info:
        parse_response(GET, response, API)
    assert info.value.retry_after == 7.0
    assert info.value.headers["retry-after"] == "7"


@pytest.mark.parametrize("status", [301, 302, 304, 307])
def test_redirects_are_errors(status: int) -> None:
    response = _response(status, headers={"location": "https://elsewhere.example/"})
    with pytest.raises(APIStatusError) as info:
        parse_response(GET, response, API)
    assert info.value.status_code == status


def test_check_status_maps_the_read_body() -> None:
    body = b'{"message": "gone away", "code": "X"}'
    with pytest.raises(NotFoundError) as info:
        check_status(httpx.Response(404, request=REQUEST, content=body))
    assert (info.value.code, info.value.body) == ("X", body)
    check_status(httpx.Response(200, request=REQUEST))


# --- the generated functions called with client.api -------------------------------------------


def _answering(content: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=content, headers={"content-type": "application/json"}
        )
    )


@pytest.mark.parametrize(
    "content",
    [b"<html><body>200 OK from a portal</body></html>", b'["not", "an", "object"]', b'"s1"'],
    ids=["html", "array", "string"],
)
def test_an_unparseable_success_body_through_client_api(content: bytes) -> None:
    """Not a raw JSONDecodeError (or KeyError...) from the generated parser: the typed error,
    with the status and the raw body, from client.api and from its derived copies alike."""
    client = Apertur("aptr_test_k", http_client=httpx.Client(transport=_answering(content)))
    for api in (client.api, client.api.with_headers({"X-Trace": "1"})):
        with pytest.raises(InvalidResponseError) as info:
            get_session.sync_detailed("s1", client=api)
        assert info.value.status_code == 200
        assert info.value.body == content
        assert info.value.message.startswith("GET /api/v1/upload/s1/session: the response body")
        assert isinstance(info.value.__cause__, ValueError | KeyError | TypeError | AttributeError)


def test_an_unparseable_success_body_through_client_api_async() -> None:
    async def main() -> None:
        inner = httpx.AsyncClient(transport=_answering(b"<html></html>"))
        async with AsyncApertur("aptr_test_k", http_client=inner) as client:
            with pytest.raises(InvalidResponseError) as info:
                await get_session.asyncio_detailed("s1", client=client.api)
        assert info.value.status_code == 200

    anyio.run(main)


def test_a_bare_generated_client_keeps_the_parsers_own_error() -> None:
    """Without the SDK, the generated client has no typed errors to raise."""
    bare = Client(base_url="https://api.example").set_httpx_client(
        httpx.Client(base_url="https://api.example", transport=_answering(b"<html></html>"))
    )
    with pytest.raises(json.JSONDecodeError):
        get_session.sync_detailed("s1", client=bare)
