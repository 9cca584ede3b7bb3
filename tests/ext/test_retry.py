"""Tests for apertur_ext._core.retry: the pure retry policy, including the upload rule."""

from __future__ import annotations

import email.utils

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apertur_ext._core.exceptions import InvalidInputError
from apertur_ext._core.retry import (
    RetryContext,
    RetryPolicy,
    is_ambiguous_upload_failure,
    is_retryable_error,
    is_retryable_status,
)

NOW = 1_800_000_000.0
NO_JITTER = RetryPolicy(rng=lambda: 0.0)


def h(**headers: str) -> httpx.Headers:
    return httpx.Headers({k.replace("_", "-"): v for k, v in headers.items()})


def after_status(
    policy: RetryPolicy, ctx: RetryContext, status: int, headers: httpx.Headers | None = None
) -> float | None:
    response = httpx.Response(status, headers=headers or httpx.Headers())
    return policy.delay(ctx, 0, response, monotonic_now=0.0, wall_now=NOW)


def after_error(policy: RetryPolicy, ctx: RetryContext, exc: BaseException) -> float | None:
    return policy.delay(ctx, 0, exc, monotonic_now=0.0, wall_now=NOW)


# --- settings ---------------------------------------------------------------------------------


def test_defaults() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.initial_delay, policy.max_delay) == (2, 0.5, 8.0)
    assert (policy.max_retry_after, policy.jitter) == (60.0, 0.25)
    assert policy.retry_ambiguous_uploads is False
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.max_retries = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"initial_delay": -0.1},
        {"max_delay": -1.0},
        {"max_retry_after": -1.0},
        {"jitter": 1.5},
        {"jitter": -0.1},
    ],
)
def test_invalid_settings(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_boundary_settings_are_accepted() -> None:
    """Each bound is inclusive: no retries, no delay, no cap and no or full jitter are valid."""
    edge = RetryPolicy(max_retries=0, initial_delay=0, max_delay=0, max_retry_after=0, jitter=0.0)
    assert (edge.max_retries, edge.initial_delay, edge.max_delay) == (0, 0, 0)
    assert (edge.max_retry_after, edge.jitter) == (0, 0.0)
    assert RetryPolicy(jitter=1.0).jitter == 1.0
    assert edge.backoff(5) == 0.0


@pytest.mark.parametrize(
    ("name", "value", "bound"),
    [
        ("max_delay", -1e-9, "'max_delay' must be >= 0"),
        ("jitter", 1.0 + 1e-9, "'jitter' must be <= 1.0"),
        ("jitter", -1e-9, "'jitter' must be >= 0.0"),
    ],
)
def test_the_bound_that_failed_is_named(name: str, value: float, bound: str) -> None:
    with pytest.raises(ValueError, match=bound):
        RetryPolicy(**{name: value})  # type: ignore[arg-type]


def test_full_jitter_can_shorten_a_wait_to_nothing() -> None:
    assert RetryPolicy(jitter=1.0, rng=lambda: 0.5).backoff(1) == 0.5
    assert RetryPolicy(jitter=1.0, rng=lambda: 0.0).backoff(1) == 1.0


def test_context_overrides_and_fallbacks() -> None:
    policy = RetryPolicy(max_retries=4, retry_ambiguous_uploads=True)
    ctx = policy.context()
    assert (ctx.max_retries, ctx.upload, ctx.replayable, ctx.retry_ambiguous) == (
        4,
        False,
        True,
        True,
    )
    ctx = policy.context(max_retries=-3, upload=True, retry_ambiguous=False, deadline=9.0)
    assert (ctx.max_retries, ctx.upload, ctx.retry_ambiguous, ctx.deadline) == (0, True, False, 9.0)


# --- backoff and Retry-After ------------------------------------------------------------------


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [NO_JITTER.backoff(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert NO_JITTER.backoff(10_000) == 8.0


def test_jitter_only_shortens_down_to_three_quarters() -> None:
    assert RetryPolicy(rng=lambda: 0.999999).backoff(0) == pytest.approx(0.375, abs=1e-5)
    assert RetryPolicy(rng=lambda: 0.5).backoff(2) == pytest.approx(2.0 * 0.875)


@given(n=st.integers(0, 100), u=st.floats(0.0, 1.0, exclude_max=True))
def test_backoff_bounds(n: int, u: float) -> None:
    policy = RetryPolicy(rng=lambda: u)
    base = min(0.5 * 2**n, 8.0)
    assert 0.75 * base <= policy.backoff(n) <= base


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (h(retry_after_ms="1500"), 1.5),
        (h(retry_after="3"), 3.0),
        (h(retry_after="2.5"), 2.5),
        (h(retry_after=email.utils.formatdate(NOW + 30, usegmt=True)), 30.0),
        (h(retry_after_ms="250", retry_after="9"), 0.25),
        (h(retry_after="60"), 60.0),
        (h(retry_after="61"), 0.5),  # above the cap: computed backoff, still retried
        (h(retry_after="0"), 0.5),
        (h(retry_after="soon"), 0.5),
        (h(retry_after=email.utils.formatdate(NOW - 30, usegmt=True)), 0.5),
        (httpx.Headers(), 0.5),
    ],
)
def test_wait_honours_retry_after_up_to_the_cap(headers: httpx.Headers, expected: float) -> None:
    assert NO_JITTER.wait(0, headers, NOW) == pytest.approx(expected)


# --- general rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 529, 599])
def test_retryable_statuses(status: int) -> None:
    assert is_retryable_status(status, httpx.Headers())
    assert after_status(NO_JITTER, NO_JITTER.context(), status) == 0.5


@pytest.mark.parametrize(
    "status", [200, 201, 204, 301, 400, 401, 403, 404, 409, 410, 413, 422, 499]
)
def test_non_retryable_statuses(status: int) -> None:
    assert not is_retryable_status(status, httpx.Headers())
    assert after_status(NO_JITTER, NO_JITTER.context(), status) is None


def test_the_server_error_boundary_is_500() -> None:
    assert [is_retryable_status(s, httpx.Headers()) for s in (498, 499, 500, 501)] == [
        False,
        False,
        True,
        True,
    ]


def test_an_http_date_retry_after_is_measured_from_the_given_wall_clock() -> None:
    """The response's Date-based hint uses ``wall_now``, not the machine's clock."""
    in_30_s = h(retry_after=email.utils.formatdate(NOW + 30, usegmt=True))
    delay = NO_JITTER.delay(
        NO_JITTER.context(), 0, httpx.Response(503, headers=in_30_s), monotonic_now=0, wall_now=NOW
    )
    assert delay == pytest.approx(30.0)


def test_x_should_retry_overrides() -> None:
    ctx = NO_JITTER.context()
    assert after_status(NO_JITTER, ctx, 503, h(x_should_retry="false")) is None
    assert after_status(NO_JITTER, ctx, 400, h(x_should_retry="true")) == 0.5
    assert after_status(NO_JITTER, ctx, 400, h(x_should_retry=" TRUE ")) == 0.5
    assert after_status(NO_JITTER, ctx, 503, h(x_should_retry="maybe")) == 0.5
    assert after_status(NO_JITTER, ctx, 200, h(x_should_retry="true")) is None  # success is final


def test_retry_budget_and_replayability() -> None:
    ctx = NO_JITTER.context(max_retries=2)
    delays = [
        NO_JITTER.delay(ctx, n, httpx.Response(503), monotonic_now=0, wall_now=NOW)
        for n in range(3)
    ]
    assert delays == [0.5, 1.0, None]
    assert after_status(NO_JITTER, NO_JITTER.context(replayable=False), 503) is None
    assert (
        after_error(NO_JITTER, NO_JITTER.context(replayable=False), httpx.ConnectError("x")) is None
    )


def test_deadline_is_never_slept_past() -> None:
    ctx = NO_JITTER.context(deadline=10.0)
    ok = NO_JITTER.delay(ctx, 0, httpx.Response(503), monotonic_now=9.4, wall_now=NOW)
    late = NO_JITTER.delay(ctx, 0, httpx.Response(503), monotonic_now=9.5, wall_now=NOW)
    assert (ok, late) == (0.5, None)
    hinted = NO_JITTER.delay(
        ctx, 0, httpx.Response(429, headers=h(retry_after="5")), monotonic_now=6.0, wall_now=NOW
    )
    assert hinted is None
    timeout = httpx.ReadTimeout("x")
    assert NO_JITTER.delay(ctx, 0, timeout, monotonic_now=9.6, wall_now=NOW) is None


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("t"),
        httpx.ReadTimeout("t"),
        httpx.WriteTimeout("t"),
        httpx.PoolTimeout("t"),
        httpx.ReadError("reset"),
        httpx.WriteError("pipe"),
        httpx.RemoteProtocolError("closed"),
        httpx.ProxyError("proxy"),
    ],
)
def test_retryable_errors(exc: Exception) -> None:
    assert is_retryable_error(exc)
    assert after_error(NO_JITTER, NO_JITTER.context(), exc) == 0.5


@pytest.mark.parametrize(
    "exc",
    [
        httpx.LocalProtocolError("bad request"),
        httpx.UnsupportedProtocol("ftp"),
        httpx.DecodingError("gzip"),
        InvalidInputError("file changed"),
        ValueError("x"),
    ],
)
def test_non_retryable_errors(exc: Exception) -> None:
    assert after_error(NO_JITTER, NO_JITTER.context(), exc) is None


# --- the upload rule --------------------------------------------------------------------------

UPLOAD = NO_JITTER.context(upload=True)
UPLOAD_OPT_IN = NO_JITTER.context(upload=True, retry_ambiguous=True)


@pytest.mark.parametrize("status", [429, 503])
def test_upload_retried_when_refused_before_storing(status: int) -> None:
    assert after_status(NO_JITTER, UPLOAD, status) == 0.5


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_upload_not_retried_on_ambiguous_status(status: int) -> None:
    assert after_status(NO_JITTER, UPLOAD, status) is None
    assert after_status(NO_JITTER, UPLOAD_OPT_IN, status) == 0.5


def test_upload_server_override() -> None:
    assert after_status(NO_JITTER, UPLOAD, 500, h(x_should_retry="true")) == 0.5
    assert after_status(NO_JITTER, UPLOAD, 503, h(x_should_retry="false")) is None
    assert after_status(NO_JITTER, UPLOAD_OPT_IN, 503, h(x_should_retry="false")) is None


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("t"), httpx.PoolTimeout("t")]
)
def test_upload_retried_when_nothing_was_sent(exc: Exception) -> None:
    assert not is_ambiguous_upload_failure(exc)
    assert after_error(NO_JITTER, UPLOAD, exc) == 0.5


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("t"),
        httpx.WriteTimeout("t"),
        httpx.ReadError("reset"),
        httpx.WriteError("pipe"),
        httpx.RemoteProtocolError("server disconnected"),
    ],
)
def test_upload_not_retried_after_ambiguous_error(exc: Exception) -> None:
    assert is_ambiguous_upload_failure(exc)
    assert after_error(NO_JITTER, UPLOAD, exc) is None
    assert after_error(NO_JITTER, UPLOAD_OPT_IN, exc) == 0.5


def test_ambiguity_classification_of_other_errors() -> None:
    assert not is_ambiguous_upload_failure(InvalidInputError("empty upload"))
    assert not is_ambiguous_upload_failure(httpx.UnsupportedProtocol("ftp"))
    assert not is_ambiguous_upload_failure(httpx.ProxyError("proxy"))
    assert is_ambiguous_upload_failure(httpx.DecodingError("gzip"))


def test_non_replayable_upload_never_retried_even_when_safe() -> None:
    ctx = NO_JITTER.context(upload=True, replayable=False, retry_ambiguous=True)
    assert after_status(NO_JITTER, ctx, 503) is None
    assert after_error(NO_JITTER, ctx, httpx.ConnectError("refused")) is None
