"""Simulated network latency (``--latency``/``--jitter``): parsing, what is delayed, the wiring.

Delays are observed through an injected ``sleep`` (no waiting, no clock); one loopback test
checks that a real request takes at least the latency, which load can only make longer.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from typing import Any

import httpx
import pytest

import apertur_local
from apertur_local import LocalApertur, LocalConfig
from apertur_local.__main__ import main, parser
from apertur_local._app import build_app
from apertur_local._latency import (
    DurationError,
    LatencyMiddleware,
    check_jitter,
    format_duration,
    parse_duration,
)

pytestmark = pytest.mark.anyio
pytest_plugins = ["pytester"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("40ms", 0.04),
        ("40 ms", 0.04),
        (" 40MS ", 0.04),
        ("0.04s", 0.04),
        ("0.04", 0.04),
        (".5s", 0.5),
        ("1.5s", 1.5),
        ("0", 0.0),
        ("0ms", 0.0),
        ("10s", 10.0),
        (0.04, 0.04),
        (2, 2.0),
        (0, 0.0),
    ],
)
def test_durations_parse(value: float | str, seconds: float) -> None:
    assert math.isclose(parse_duration(value), seconds)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5ms", "must not be negative"),
        (-0.01, "must not be negative"),
        ("abc", "a duration such as 40ms"),
        ("40us", "a duration such as 40ms"),
        ("", "a duration such as 40ms"),
        ("nan", "a duration such as 40ms"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        ("10.5s", r"at most 10s \(got 10.5s\)$"),
        ("40", "for milliseconds write '40ms'"),
        (40, "for milliseconds write '40ms'"),
        (True, "a number of seconds"),
        (None, "a number of seconds"),
    ],
)
def test_bad_durations_are_clear_errors(value: Any, message: str) -> None:
    with pytest.raises(DurationError, match=message):
        parse_duration(value)


def test_jitter_must_fit_inside_the_latency() -> None:
    check_jitter(0.04, 0.04)
    check_jitter(0.0, 0.0)
    with pytest.raises(DurationError, match=r"jitter \(20ms\) must not exceed latency \(10ms\)"):
        check_jitter(0.01, 0.02)
    assert format_duration(0.04) == "40ms"
    assert format_duration(1.5) == "1.5s"


def test_local_config_takes_durations_and_checks_them() -> None:
    config = LocalConfig(latency="40ms", jitter="5ms")
    assert (config.latency, config.jitter) == (0.04, 0.005)
    assert LocalConfig().latency == 0.0
    with pytest.raises(apertur_local.DurationError, match="jitter"):  # public name
        LocalConfig(latency="5ms", jitter="40ms")
    with pytest.raises(DurationError, match="jitter must not be negative"):
        LocalConfig(latency="5ms", jitter="-1ms")


class Recorder:
    """An inner ASGI app that answers (or streams) and a sleep that records its argument."""

    def __init__(self, body_messages: int = 1) -> None:
        self.slept: list[float] = []
        self.calls = 0
        self.body_messages = body_messages

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for number in range(self.body_messages):
            more = number < self.body_messages - 1
            await send({"type": "http.response.body", "body": b"x", "more_body": more})


async def call(asgi: Any, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asgi(scope, receive, send)
    return sent


def http(path: str, query: bytes = b"") -> dict[str, Any]:
    return {"type": "http", "method": "GET", "path": path, "query_string": query, "headers": []}


@pytest.mark.parametrize(
    ("scope", "delayed"),
    [
        (http("/api/v1/stats"), True),
        (http("/api/v1/upload/abc/events"), True),
        (http("/u/abc"), True),
        (http("/_local/reset"), False),
        (http("/_local/faults"), False),
        (http("/socket.io/", b"EIO=4&transport=polling&t=abc"), True),  # the handshake
        (http("/socket.io/", b"EIO=4&transport=polling&sid=xyz"), False),  # carries events
        ({"type": "websocket", "path": "/socket.io/", "query_string": b"sid=xyz"}, True),
        ({"type": "lifespan"}, False),
    ],
)
async def test_what_is_delayed(scope: dict[str, Any], delayed: bool) -> None:
    inner = Recorder()
    middleware = LatencyMiddleware(inner.app, 0.04, sleep=inner.sleep)
    await call(middleware, scope)
    assert inner.slept == ([0.04] if delayed else [])
    assert inner.calls == 1


async def test_a_stream_is_delayed_once_not_per_event() -> None:
    inner = Recorder(body_messages=50)
    middleware = LatencyMiddleware(inner.app, 0.04, sleep=inner.sleep)
    sent = await call(middleware, http("/api/v1/upload/abc/events"))
    assert len(sent) == 51
    assert inner.slept == [0.04]


async def test_jitter_draws_around_the_latency() -> None:
    inner = Recorder()
    middleware = LatencyMiddleware(
        inner.app, 0.04, 0.01, sleep=inner.sleep, rng=random.Random(20261201)
    )
    for _ in range(300):
        await call(middleware, http("/api/v1/stats"))
    assert len(inner.slept) == 300
    assert all(0.03 <= delay <= 0.05 for delay in inner.slept)
    assert len(set(inner.slept)) > 100  # drawn, not fixed
    assert min(inner.slept) < 0.035
    assert max(inner.slept) > 0.045


def test_the_middleware_refuses_a_jitter_beyond_the_latency() -> None:
    with pytest.raises(DurationError):
        LatencyMiddleware(Recorder().app, 0.01, 0.02)


def test_build_app_adds_the_middleware_only_with_a_latency() -> None:
    app = build_app(LocalConfig(latency="40ms", jitter="5ms"))
    try:
        assert isinstance(app.asgi, LatencyMiddleware)
        assert (app.asgi.latency, app.asgi.jitter) == (0.04, 0.005)
    finally:
        app.state.close()
    plain = build_app(LocalConfig())
    try:
        assert not isinstance(plain.asgi, LatencyMiddleware)
    finally:
        plain.state.close()


def test_a_request_takes_at_least_the_latency_on_loopback() -> None:
    with (
        LocalApertur(latency="200ms") as server,
        httpx.Client(base_url=server.url, trust_env=False) as client,
    ):
        headers = {"Authorization": f"Bearer {server.api_key}"}
        assert client.get("/api/v1/stats", headers=headers).status_code == 200  # connect first
        started = time.monotonic()
        response = client.get("/api/v1/stats", headers=headers)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    # The server's timer and this clock are both CLOCK_MONOTONIC; the loop may fire a timer up
    # to its clock resolution early, hence the microsecond of slack. Load only adds time.
    assert elapsed >= 0.2 - 1e-6


def test_cli_flags() -> None:
    args = parser().parse_args(["serve", "--latency", "40ms", "--jitter", "5ms"])
    assert (args.latency, args.jitter) == (0.04, 0.005)
    defaults = parser().parse_args(["serve"])
    assert (defaults.latency, defaults.jitter) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--latency", "40"], "for milliseconds write '40ms'"),
        (["--latency=-5ms"], "must not be negative"),
        (["--latency", "fast"], "a duration such as 40ms"),
        (["--jitter", "5ms"], r"jitter \(5ms\) must not exceed latency \(0ms\)"),
        (["--latency", "5ms", "--jitter", "6ms"], "must not exceed latency"),
    ],
)
def test_cli_refuses_bad_durations(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["serve", "--port", "0", *argv])
    except SystemExit as exc:
        code = exc.code  # argparse's own error exit
    assert code == 2
    err = capsys.readouterr().err
    assert "apertur-local serve: error:" in err
    assert re.search(message, err)


PLUGIN_TEST = """
def test_options(apertur_local):
    assert apertur_local.config.latency == {latency}
    assert apertur_local.config.jitter == {jitter}
"""


@pytest.mark.parametrize(
    ("flags", "conftest", "latency", "jitter"),
    [
        (["--apertur-latency", "40ms", "--apertur-jitter", "5ms"], None, 0.04, 0.005),
        (
            [],
            "import pytest\n\n@pytest.fixture(scope='session')\n"
            "def apertur_local_options():\n    return {'latency': 0.03}\n",
            0.03,
            0.0,
        ),
    ],
)
def test_pytest_plugin_options(
    pytester: pytest.Pytester,
    flags: list[str],
    conftest: str | None,
    latency: float,
    jitter: float,
) -> None:
    pytester.makepyfile(PLUGIN_TEST.format(latency=latency, jitter=jitter))
    if conftest is not None:
        pytester.makeconftest(conftest)
    pytester.runpytest_inprocess(*flags).assert_outcomes(passed=1)


def test_pytest_plugin_refuses_bad_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest_inprocess("--apertur-latency", "40")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*for milliseconds write '40ms'*"])


async def test_latency_does_not_block_the_event_loop() -> None:
    """Requests wait concurrently: the middleware awaits the (real) sleep, it never blocks."""
    started: list[str] = []

    async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
        started.append(scope["path"])

    middleware = LatencyMiddleware(inner, 0.05)
    first = asyncio.ensure_future(call(middleware, http("/a")))
    second = asyncio.ensure_future(call(middleware, http("/b")))
    await asyncio.sleep(0)
    assert not first.done()
    assert not second.done()  # both are waiting at the same time
    await asyncio.gather(first, second)
    assert sorted(started) == ["/a", "/b"]
