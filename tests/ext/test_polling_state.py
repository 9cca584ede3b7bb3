"""Tests for apertur_ext._polling.state: the loop-level retry decision and the summary.
(The decisions of a run are exercised through the engine in test_polling*.py.)"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from apertur_ext._core.exceptions import (
    APIConnectionError,
    InvalidInputError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from apertur_ext._core.retry import RetryPolicy
from apertur_ext._polling.state import (
    DEFAULT_POLL_RETRY,
    Calls,
    Options,
    PollSummary,
    Run,
    Slot,
    retry_delay,
)


def test_retry_after_is_capped() -> None:
    policy = RetryPolicy(max_retries=3, jitter=0.0, max_retry_after=5.0)
    assert retry_delay(policy, 0, RateLimitError("x", retry_after=999)) == 5.0
    assert retry_delay(policy, 0, RateLimitError("x")) == policy.initial_delay
    assert retry_delay(policy, 3, ServerError("x", status_code=500)) is None
    assert retry_delay(policy, 0, NotFoundError("x", status_code=404)) is None
    assert retry_delay(policy, 0, RuntimeError("x")) is None


def test_summary_describe() -> None:
    text = PollSummary(processed=2, acknowledged=2, polls=3).describe()
    assert "3 polls" in text
    assert "2 processed" in text


def test_default_retry_rides_out_about_a_minute() -> None:
    policy = RetryPolicy(
        max_retries=DEFAULT_POLL_RETRY.max_retries,
        initial_delay=DEFAULT_POLL_RETRY.initial_delay,
        max_delay=DEFAULT_POLL_RETRY.max_delay,
        jitter=0.0,
    )
    err = APIConnectionError("down")
    total = sum(retry_delay(policy, n, err) or 0 for n in range(policy.max_retries))
    assert 45 <= total <= 120


def test_options_validate() -> None:
    with pytest.raises(InvalidInputError):
        Options(interval=-1.0)
    with pytest.raises(InvalidInputError):
        Options(prefetch=-1)
    assert Options(0.0, 0.0, 1, "skip", 2, 0).concurrency == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"interval": -1.0}, "interval and timeout must be >= 0 seconds"),
        ({"timeout": float("nan")}, "interval and timeout must be >= 0 seconds"),
        ({"max_images": 0}, "max_images must be >= 1 (or None for no limit)"),
        ({"error_policy": "ignore"}, "error_policy must be 'stop' or 'skip'"),
        ({"concurrency": 0}, "concurrency must be >= 1 and prefetch >= 0"),
        ({"prefetch": -1}, "concurrency must be >= 1 and prefetch >= 0"),
    ],
)
def test_options_say_what_is_wrong(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as exc:
        Options(**options)
    assert str(exc.value) == message


def test_options_accept_their_smallest_values() -> None:
    opts = Options(interval=0.0, timeout=0.0, max_images=1, concurrency=1, prefetch=0)
    assert (opts.interval, opts.timeout, opts.max_images, opts.concurrency) == (0.0, 0.0, 1, 1)


def test_summary_describe_says_everything() -> None:
    summary = PollSummary(processed=5, acknowledged=3, failed=[("x", "e")], skipped=2, polls=7)
    summary.already_acknowledged = 1
    assert summary.describe() == (
        "poll_and_process: 7 polls, 5 processed, 3 acknowledged, 1 already acknowledged "
        "elsewhere, 1 failed, 2 skipped"
    )


def _unused(*_: Any) -> Any:
    raise AssertionError("the run's decisions make no call themselves")


def _fused_run(stop: threading.Event, ids: str) -> tuple[Run, list[Slot]]:
    """A fused run at concurrency=2 (no prefetch) that listed ``ids``: returns the run and the
    images its first plan starts."""
    calls = Calls(_unused, _unused, _unused, _unused)
    run = Run(calls, Options(concurrency=2, prefetch=0), stop, None, fused=True)  # type: ignore[arg-type]
    assert run.plan() == [("list", None)]
    run.complete("list", None, SimpleNamespace(images=[SimpleNamespace(id=i) for i in ids]), None)
    started = run.plan()
    assert [kind for kind, _ in started] == ["process", "process"]
    return run, [slot for _, slot in started]


def _handle_and_ack(run: Run, slot: Slot) -> None:
    with run.lock:  # as the engine calls them
        assert run.take(slot)
        assert run.handled(slot, True)
        run.acked("acknowledged")


def test_a_fused_job_goes_on_with_the_next_listed_image() -> None:
    run, (a, b) = _fused_run(threading.Event(), "abc")
    assert (a.image.id, b.image.id) == ("a", "b")
    _handle_and_ack(run, a)
    after_a = run.finished(a, None)
    assert after_a is not None
    assert after_a.image.id == "c"  # the same job takes it: no new job, no hand-off
    _handle_and_ack(run, b)
    assert run.finished(b, None) is None  # nothing listed is left: the engine plans (a list)
    assert run.summary.acknowledged == 2


def test_a_fused_job_takes_nothing_more_once_the_run_is_stopped() -> None:
    stop = threading.Event()
    run, (a, _) = _fused_run(stop, "abc")
    _handle_and_ack(run, a)
    stop.set()
    assert run.finished(a, None) is None
    assert list(run.listed)[0].id == "c"  # left queued
