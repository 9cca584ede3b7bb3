"""Tests for apertur_ext._core.exceptions: the hierarchy, the status mapper and Retry-After parsing."""

from __future__ import annotations

import json
import pickle

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apertur_ext._core.exceptions import (
    AperturError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    EncryptionKeyError,
    GoneError,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    UploadMayHaveBeenStoredError,
    ValidationError,
    WebhookVerificationError,
    clean_message,
    error_from_response,
    parse_retry_after,
)

NOW = 1_800_000_000.0


def _json(**fields: object) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (422, ValidationError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, GoneError),
        (413, PayloadTooLargeError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
        (600, ServerError),
        (999, ServerError),
        (402, APIStatusError),
        (405, APIStatusError),
        (418, APIStatusError),
        (499, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIStatusError]) -> None:
    err = error_from_response(status, {}, _json(message="boom", code="SOME_CODE"))
    assert type(err) is cls
    assert isinstance(err, APIStatusError)
    assert isinstance(err, AperturError)
    assert err.status_code == status
    assert err.message == "boom"
    assert err.code == "SOME_CODE"  # the server's code is kept, unlike the official SDK


def test_html_502_body_gives_synthetic_message() -> None:
    body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    err = error_from_response(502, {"content-type": "text/html"}, body)
    assert type(err) is ServerError
    assert err.message == "HTTP 502"
    assert str(err) == "HTTP 502"
    assert err.code is None
    assert err.body == body
    assert err.headers is not None
    assert err.headers["Content-Type"] == "text/html"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[1, 2]",
        b'"just a string"',
        b"42",
        b"null",
        b"{not json",
        b"\xff\xfe\xfa",
        b"[" * 100_000,
        _json(code="X"),
        _json(message=""),
        _json(message=7),
        _json(message=None),
        _json(error="Not Found", statusCode=404),
    ],
)
def test_unusable_bodies_give_http_status_message(body: bytes) -> None:
    err = error_from_response(404, {}, body)
    assert type(err) is NotFoundError
    assert err.message == "HTTP 404"


def test_code_is_optional_and_must_be_a_string() -> None:
    assert error_from_response(400, {}, _json(message="bad")).code is None
    assert error_from_response(400, {}, _json(message="bad", code=3)).code is None
    assert error_from_response(400, {}, _json(message="bad", code="")).code is None


def test_fastify_style_body_message_is_read() -> None:
    body = _json(statusCode=409, error="Conflict", message="Session completed")
    err = error_from_response(409, {}, body)
    assert type(err) is ConflictError
    assert err.message == "Session completed"


def test_rate_limit_error_reads_retry_after() -> None:
    err = error_from_response(429, httpx.Headers({"Retry-After": "7"}), _json(message="slow"))
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 7.0
    err = error_from_response(429, {}, b"")
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None


def test_rate_limit_error_explicit_retry_after_wins() -> None:
    err = RateLimitError("x", headers={"Retry-After": "7"}, retry_after=1.5)
    assert err.retry_after == 1.5
    assert err.status_code == 429


def test_repr_and_str_show_message_status_code_only() -> None:
    err = error_from_response(
        401,
        {"set-cookie": "session=SECRETCOOKIE", "x-request-id": "rid"},
        _json(message="Invalid API key", code="AUTH", detail="SECRETDETAIL"),
    )
    assert (
        repr(err) == "AuthenticationError(message='Invalid API key', status_code=401, code='AUTH')"
    )
    assert str(err) == "Invalid API key"
    assert "SECRET" not in repr(err) + str(err)


def test_base_error_defaults() -> None:
    err = AperturError("plain")
    assert (err.message, err.status_code, err.code, err.headers, err.body) == (
        "plain",
        None,
        None,
        None,
        None,
    )
    assert repr(err) == "AperturError(message='plain')"


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (APITimeoutError, APIConnectionError),
        (UploadMayHaveBeenStoredError, APIConnectionError),
        (APIConnectionError, AperturError),
        (InvalidResponseError, AperturError),
        (ResponseTooLargeError, InvalidResponseError),
        (InvalidInputError, AperturError),
        (EncryptionKeyError, InvalidInputError),
        (WebhookVerificationError, AperturError),
    ],
)
def test_non_status_hierarchy(cls: type[AperturError], parent: type[AperturError]) -> None:
    err = cls("msg")
    assert isinstance(err, parent)
    assert not isinstance(err, APIStatusError)
    assert err.status_code is None


def test_headers_are_normalised_to_httpx_headers() -> None:
    err = APIStatusError("m", status_code=418, headers={"X-A": "1"})
    assert isinstance(err.headers, httpx.Headers)
    assert err.headers["x-a"] == "1"


def test_errors_are_catchable_as_exception() -> None:
    with pytest.raises(AperturError, match="HTTP 500"):
        raise error_from_response(500, {}, b"")


def test_errors_pickle_round_trip() -> None:
    err = error_from_response(429, {"Retry-After": "3"}, _json(message="slow", code="RL"))
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is RateLimitError
    assert (copy.message, copy.status_code, copy.code, copy.retry_after, copy.body) == (
        "slow",
        429,
        "RL",
        3.0,
        err.body,
    )
    assert copy.headers == err.headers
    assert str(copy) == "slow"
    assert copy.args == ("slow",)


@given(
    status=st.integers(min_value=-10, max_value=10_000),
    body=st.binary(max_size=200),
    headers=st.dictionaries(
        st.sampled_from(["retry-after", "retry-after-ms", "content-type", "x-other"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    ),
)
def test_error_from_response_never_raises(
    status: int, body: bytes, headers: dict[str, str]
) -> None:
    err = error_from_response(status, headers, body)
    assert isinstance(err, APIStatusError)
    assert err.status_code == status
    assert err.message


# --- parse_retry_after ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "12"}, 12.0),
        ({"Retry-After": " 1.5 "}, 1.5),
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "inf"}, None),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "junk", "Retry-After": "9"}, 9.0),
        ({"retry-after-ms": "-5", "Retry-After": "9"}, 9.0),
        ({"retry-after-ms": "-5"}, None),
        # HTTP-dates relative to NOW (2027-01-15T08:00:00Z)
        ({"Retry-After": "Fri, 15 Jan 2027 08:00:30 GMT"}, 30.0),
        ({"Retry-After": "Fri, 15 Jan 2027 08:00:00 GMT"}, 0.0),
        ({"Retry-After": "Fri, 15 Jan 2027 07:59:00 GMT"}, 0.0),  # past: retry now
        ({"Retry-After": "Fri, 15 Jan 2027 08:01:00 -0000"}, 60.0),
        ({"Retry-After": "Fri, 15 Jan 2027 09:01:00 +0100"}, 60.0),
        ({"Retry-After": "Fri, 45 Jan 2027 08:00:00 GMT"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def test_parse_retry_after_is_case_insensitive_for_plain_mappings() -> None:
    assert parse_retry_after({"RETRY-AFTER": "4"}) == 4.0
    assert parse_retry_after(httpx.Headers({"Retry-After-Ms": "1000"})) == 1.0


@given(st.text(max_size=60), st.text(max_size=20))
def test_parse_retry_after_never_raises(value: str, ms: str) -> None:
    headers = {"retry-after": value, "retry-after-ms": ms}
    try:
        httpx.Headers(headers)
    except (UnicodeEncodeError, ValueError):
        return  # not representable as an HTTP header at all
    result = parse_retry_after(headers, now=NOW)
    assert result is None or result >= 0


# --- server text in messages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mred\x1b[0m text", "red text"),  # colours
        ("\x1b[2J\x1b[1;1Hcleared", "cleared"),  # clear screen, cursor home
        ("\x1b]0;title\x07after", "after"),  # window title (OSC, BEL)
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink (OSC, ST)
        ("lone \x1b", "lone"),
        ("line one\r\nInjected: line two\n", "line one Injected: line two"),
        ("tab\there\x00\x07\x08\x7f\x9b!\x85end", "tab here! end"),  # C0, DEL, C1, NEL
        ("evil\u202etxt.exe\u200b", "eviltxt.exe"),  # bidi override, zero-width space
        ("caf\u00e9 \u2014 \U0001f600", "caf\u00e9 \u2014 \U0001f600"),  # printable text stays
    ],
)
def test_messages_are_one_clean_line(raw: str, clean: str) -> None:
    assert clean_message(raw) == clean
    error = error_from_response(400, {}, _json(message=raw, code="C\r\nODE"))
    assert (error.message, str(error), error.code) == (clean, clean, "C ODE")
    assert json.loads(error.body or b"")["message"] == raw  # the raw body is kept


def test_long_messages_are_cut_and_say_so() -> None:
    text = clean_message("x" * 5000)
    assert len(text) <= 1000
    assert text.endswith("(4040 more characters)")
    assert clean_message("y" * 1000) == "y" * 1000


def test_a_message_of_nothing_but_controls_falls_back_to_the_status() -> None:
    error = error_from_response(502, {}, _json(message="\x1b[0m\r\n", code="\x00"))
    assert (error.message, error.code) == ("HTTP 502", None)


def test_every_error_cleans_its_message() -> None:
    assert str(InvalidInputError("cannot write /tmp/a\nb\x1b[31m")) == "cannot write /tmp/a b"
    assert str(ServerError("x" * 10**6, status_code=500)).endswith("more characters)")
