"""Tests for apertur_ext._polling.state: the loop-level retry decision, the summary, the pace of
downloads ahead, and a few of a run's decisions (the rest are exercised through the engine in
test_polling*.py)."""

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
    Pace,
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
        ({"interval": "3"}, "interval and timeout must be >= 0 seconds"),
        ({"max_images": 0}, "max_images must be an integer >= 1 (or None for no limit)"),
        ({"max_images": "5"}, "max_images must be an integer >= 1 (or None for no limit)"),
        ({"concurrency": 2.0}, "concurrency and prefetch must be integers"),
        ({"prefetch": True}, "concurrency and prefetch must be integers"),
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
        run.acked(("acknowledged", 0.0))


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


# The pace: downloading ahead pauses while acknowledgements queue, and resumes once they do not.

MS = 0.001


def _paced(*seconds: float) -> Pace:
    pace = Pace()
    for s in seconds:
        pace.note(s)
    return pace


def test_the_pace_judges_every_window_of_acknowledgements() -> None:
    assert (Pace.WINDOW, Pace.MEMORY) == (16, 256)
    pace = _paced(10 * MS, *[100 * MS] * 14)
    assert pace.ahead  # 15 acknowledgements: not judged yet
    pace.note(100 * MS)
    assert pace.ahead is False
    for _ in range(15):
        pace.note(10 * MS)
    assert pace.ahead is False  # judged again only at the 32nd
    pace.note(10 * MS)
    assert pace.ahead is True


def test_the_pace_stops_downloading_ahead_once_the_typical_ack_takes_over_twice_the_fastest() -> (
    None
):
    """Over twice the fastest, plus half a millisecond of noise: requests are queueing."""
    assert _paced(10 * MS, *[20.4 * MS] * 15).ahead  # 20.4 - 0.5 < 2 x 10
    assert 20.5 * MS - Pace.SLACK == 2 * 10 * MS
    assert _paced(10 * MS, *[20.5 * MS] * 15).ahead  # exactly twice: not over
    assert _paced(10 * MS, *[20.6 * MS] * 15).ahead is False  # 20.6 - 0.5 > 2 x 10


def test_the_pace_ignores_waits_shorter_than_its_slack() -> None:
    """Instant calls (tests, fake clocks) never pause downloading ahead."""
    assert _paced(*[0.0] * 16).ahead
    assert _paced(0.0, *[0.4 * MS] * 15).ahead
    assert _paced(0.0, *[0.6 * MS] * 15).ahead is False


def test_the_typical_acknowledgement_is_the_window_s_upper_median() -> None:
    """Half the window slow is enough to pause, one fewer is not; only the last window counts
    (the fastest may come from before it)."""
    assert _paced(*[10 * MS] * 8, *[50 * MS] * 8).ahead is False
    assert _paced(*[10 * MS] * 9, *[50 * MS] * 7).ahead
    assert _paced(*[10 * MS] * 16, *[50 * MS] * 9, *[10 * MS] * 7).ahead is False
    assert _paced(*[50 * MS] * 16, *[10 * MS] * 9, *[50 * MS] * 7).ahead


def test_the_pace_resumes_once_acknowledgements_take_under_a_quarter_more_than_the_fastest() -> (
    None
):
    pace = _paced(10 * MS, *[50 * MS] * 15)
    assert pace.ahead is False
    for _ in range(16):
        pace.note(13.0 * MS)  # 12.5 ms after the slack: not under 1.25 x 10
    assert pace.ahead is False  # between the two thresholds it keeps its state
    for _ in range(16):
        pace.note(12.9 * MS)
    assert pace.ahead is True


def test_the_pace_forgets_the_fastest_after_its_memory() -> None:
    """A route that got slower for good: paused while a faster acknowledgement is remembered,
    resumed once it is forgotten."""
    pace = _paced(*[10 * MS] * 16, *[30 * MS] * (Pace.MEMORY - 16))
    assert pace.ahead is False  # the first 10 ms acknowledgement is the 256th last
    for _ in range(16):
        pace.note(30 * MS)
    assert pace.ahead is True


def _listed_run(concurrency: int, prefetch: int, ids: int) -> Run:
    calls = Calls(_unused, _unused, _unused, _unused)
    opts = Options(concurrency=concurrency, prefetch=prefetch)
    run = Run(calls, opts, threading.Event(), None, fused=False)  # type: ignore[arg-type]
    assert run.plan() == [("list", None)]
    images = [SimpleNamespace(id=f"i{n}") for n in range(ids)]
    run.complete("list", None, SimpleNamespace(images=images), None)
    return run


def test_a_run_downloads_only_concurrency_images_once_acknowledgements_queue() -> None:
    run = _listed_run(concurrency=2, prefetch=3, ids=40)
    for _ in range(Pace.WINDOW):
        run.count("acknowledged", 10 * MS)
    assert [kind for kind, _ in run.plan()] == ["download"] * 5  # 2 + 3 in flight
    for _ in range(Pace.WINDOW):
        run.count("acknowledged", 50 * MS)
    assert run.budget == 2
    assert run.summary.acknowledged == 2 * Pace.WINDOW
    for slot in list(run.ahead):  # the five downloads end; two handlers start
        run.complete("download", slot, b"x", None)
    assert [kind for kind, _ in run.plan()] == ["handle", "handle"]
    assert run.plan() == []  # nothing more is downloaded while two images are held
    for _ in range(Pace.WINDOW):
        run.count("already_acknowledged", 10 * MS)
    assert run.budget == 5
    assert run.summary.already_acknowledged == Pace.WINDOW


@pytest.mark.parametrize(("prefetch", "paused"), [(3, 2), (1, 2), (0, 1)])
def test_a_lone_handler_still_gets_its_next_image_while_paused(prefetch: int, paused: int) -> None:
    """concurrency=1: paused, one image is downloaded ahead (never more than ``prefetch``)."""
    run = _listed_run(concurrency=1, prefetch=prefetch, ids=40)
    for seconds in (10 * MS, *[50 * MS] * (Pace.WINDOW - 1)):
        run.count("acknowledged", seconds)
    assert run.pace.ahead is False
    assert run.budget == paused
    assert [kind for kind, _ in run.plan()] == ["download"] * paused
